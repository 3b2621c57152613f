#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The candidate branches an event's tests made, remembered by the tests, so that an event meeting
/// the same tests as one before skips the walk over the branches they trigger.
///
/// Which branches become candidates (`PatternMatcher.finishEvent`) depends on the tests the event
/// met and nothing else: a branch is a candidate when a test of its trigger clause was met and
/// each of its required clauses has a test that was. The order they are found in follows the order
/// the tests were met in. So the same sequence of tests met gives the same candidates in the same
/// order, and a remembered answer is the answer. Logs repeat their combinations: a flow log's
/// records fall into a few hundred (action, protocol, port, address ranges, …), while the walk over
/// the triggered branches cost 1,270 instructions per record with 20 flow rules (callgrind).
///
/// Direct-mapped, `slotCount` slots of up to `maximumKeyLength` tests and `maximumCandidates`
/// branches; a newer sequence takes an older one's slot. A lookup hashes the tests and compares
/// them once. Owned by one `PatternMatcher` (one thread); its memory is its own, reached through
/// pointers, for the reason `LeafValueCache` gives.
struct CandidateMemo: ~Copyable {
    /// The slots of a matcher in production: 512, of 260 bytes each (130 KB).
    static let standardSlotCount = 512
    static let maximumKeyLength = 32
    static let maximumCandidates = 32

    /// A power of two, or 0 for a memo that remembers nothing.
    let slotCount: Int
    /// Each slot's number of tests, or -1 when the slot is empty; and its number of candidates.
    private let slotKeyLength: UnsafeMutablePointer<Int16>
    private let slotCandidateCount: UnsafeMutablePointer<Int16>
    /// Each slot's tests, in `maximumKeyLength` entries, and candidates, in `maximumCandidates`.
    private let slotKeys: UnsafeMutablePointer<Int32>
    private let slotCandidates: UnsafeMutablePointer<Int32>

    /// An empty memo; only the key lengths are initialized (1 KB), as in `LeafValueCache`.
    init(slotCount: Int = CandidateMemo.standardSlotCount) {
        precondition(slotCount == 0 || slotCount & (slotCount - 1) == 0, "a power of two")
        self.slotCount = slotCount
        let slots = max(slotCount, 1)
        slotKeyLength = .allocate(capacity: slots)
        slotKeyLength.initialize(repeating: -1, count: slots)
        slotCandidateCount = .allocate(capacity: slots)
        slotKeys = .allocate(capacity: slots * Self.maximumKeyLength)
        slotCandidates = .allocate(capacity: slots * Self.maximumCandidates)
    }

    deinit {
        slotKeyLength.deallocate()
        slotCandidateCount.deallocate()
        slotKeys.deallocate()
        slotCandidates.deallocate()
    }

    /// The slot the sequence `tests` belongs in, or nil when it is not remembered (too long, or no memo).
    @inline(__always)
    func slot(for tests: UnsafeBufferPointer<Int32>) -> Int? {
        guard slotCount > 0, tests.count <= Self.maximumKeyLength else { return nil }
        var hash = UInt64(tests.count) &* 0x9E37_79B9_7F4A_7C15
        for test in tests {
            hash = (hash ^ UInt64(UInt32(bitPattern: test))) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
        }
        return Int(truncatingIfNeeded: hash) & (slotCount - 1)
    }

    /// The candidates `slot` holds for `tests`, or nil when it holds another sequence's (or none).
    @inline(__always)
    func candidates(in slot: Int, for tests: UnsafeBufferPointer<Int32>) -> UnsafeBufferPointer<Int32>? {
        guard Int(slotKeyLength[slot]) == tests.count else { return nil }
        if tests.count > 0,
           memcmp(slotKeys + slot * Self.maximumKeyLength, tests.baseAddress!, tests.count * MemoryLayout<Int32>.stride) != 0 {
            return nil
        }
        return UnsafeBufferPointer(start: slotCandidates + slot * Self.maximumCandidates, count: Int(slotCandidateCount[slot]))
    }

    /// Remembers that `tests` made `candidates`; more candidates than a slot holds are not
    /// remembered (the slot keeps what it held, which is still true of its own tests).
    @inline(__always)
    func remember(_ slot: Int, tests: UnsafeBufferPointer<Int32>, candidates: UnsafeBufferPointer<Int32>) {
        guard candidates.count <= Self.maximumCandidates else { return }
        slotKeyLength[slot] = Int16(tests.count)
        slotCandidateCount[slot] = Int16(candidates.count)
        if let keys = tests.baseAddress, tests.count > 0 {
            (slotKeys + slot * Self.maximumKeyLength).update(from: keys, count: tests.count)
        }
        if let branches = candidates.baseAddress, candidates.count > 0 {
            (slotCandidates + slot * Self.maximumCandidates).update(from: branches, count: candidates.count)
        }
    }
}

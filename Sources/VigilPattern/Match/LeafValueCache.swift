#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The tests a short leaf value met, remembered by (field, kind of value, bytes), so that a value
/// seen again skips its automaton run, address parse, range search and literal comparisons.
///
/// Logs repeat their short values without end: a flow log's ports, protocols, actions, addresses
/// and interface ids, CloudTrail's event names, sources and regions. What a leaf meets depends on
/// its field's tests, the kind of value and its bytes alone (`PatternMatcher.evaluateLeaf`), so
/// a remembered answer is the answer. The table is direct-mapped, `slotCount` slots of values up
/// to `maximumValueLength` bytes meeting up to `maximumHits` tests; a newer value takes an older
/// one's slot. A lookup hashes the value a word at a time and compares it once.
///
/// Owned by one `PatternMatcher` (one thread), like its automata.
///
/// The table lives in memory of its own, reached through pointers: kept in arrays, every lookup
/// retained and released them (the matcher's property), and the cache cost more than it saved.
/// Not copyable, so that the memory has one owner and is freed once, when the cache goes.
struct LeafValueCache: ~Copyable {
    /// The slots of a matcher in production: 2,048, of 115 bytes each (230 KB).
    static let standardSlotCount = 2048
    static let maximumValueLength = 48
    static let maximumHits = 15

    /// A power of two, or 0 for a cache that remembers nothing.
    let slotCount: Int
    /// Each slot's field, or -1 when the slot is empty.
    private let slotField: UnsafeMutablePointer<Int32>
    /// Each slot's kind of value (`LeafKind.code`), value length and number of tests.
    private let slotKind: UnsafeMutablePointer<UInt8>
    private let slotLength: UnsafeMutablePointer<UInt8>
    private let slotHitCount: UnsafeMutablePointer<UInt8>
    /// Each slot's value, in `maximumValueLength` bytes.
    private let slotValue: UnsafeMutablePointer<UInt8>
    /// Each slot's tests, in `maximumHits` entries.
    private let slotHits: UnsafeMutablePointer<Int32>

    /// An empty cache. Only the slots' fields
    /// are initialized (8 KB): the rest of a slot is read only once `remember` has written it,
    /// so that a matcher made for one check (`vigil rules test`, each conformance case) costs
    /// little more than before.
    init(slotCount: Int = LeafValueCache.standardSlotCount) {
        precondition(slotCount == 0 || slotCount & (slotCount - 1) == 0, "a power of two")
        self.slotCount = slotCount
        let slots = max(slotCount, 1)
        slotField = .allocate(capacity: slots)
        slotField.initialize(repeating: -1, count: slots)
        slotKind = .allocate(capacity: slots)
        slotLength = .allocate(capacity: slots)
        slotHitCount = .allocate(capacity: slots)
        slotValue = .allocate(capacity: slots * Self.maximumValueLength)
        slotHits = .allocate(capacity: slots * Self.maximumHits)
    }

    deinit {
        slotField.deallocate()
        slotKind.deallocate()
        slotLength.deallocate()
        slotHitCount.deallocate()
        slotValue.deallocate()
        slotHits.deallocate()
    }

    /// The slot a value belongs in, or nil when the value is not remembered (too long, or no cache).
    @inline(__always)
    func slot(field: Int32, kind: UInt8, value: UnsafeRawBufferPointer) -> Int? {
        guard slotCount > 0, value.count <= Self.maximumValueLength else { return nil }
        var hash = (UInt64(UInt32(bitPattern: field)) << 8 | UInt64(kind)) &* 0x9E37_79B9_7F4A_7C15
        var offset = 0
        while offset + 8 <= value.count {
            hash = (hash ^ value.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            offset += 8
        }
        var tail = UInt64(value.count)
        while offset < value.count {
            tail = tail << 8 | UInt64(value[offset])
            offset += 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        hash ^= hash >> 29
        return Int(truncatingIfNeeded: hash) & (slotCount - 1)
    }

    /// Whether `slot` holds this value's tests.
    @inline(__always)
    func holds(_ slot: Int, field: Int32, kind: UInt8, value: UnsafeRawBufferPointer) -> Bool {
        guard slotField[slot] == field, slotKind[slot] == kind, Int(slotLength[slot]) == value.count else { return false }
        return value.count == 0 || memcmp(slotValue + slot * Self.maximumValueLength, value.baseAddress!, value.count) == 0
    }

    /// The tests held in `slot`, valid until the next `remember`.
    @inline(__always)
    func hits(of slot: Int) -> UnsafeBufferPointer<Int32> {
        UnsafeBufferPointer(start: slotHits + slot * Self.maximumHits, count: Int(slotHitCount[slot]))
    }

    /// Remembers that the value met `hits` in `slot`; a value meeting more than `maximumHits`
    /// tests is not remembered (its slot is emptied, not left holding another value's tests).
    @inline(__always)
    func remember(_ slot: Int, field: Int32, kind: UInt8, value: UnsafeRawBufferPointer, hits: UnsafeBufferPointer<Int32>) {
        guard hits.count <= Self.maximumHits else {
            slotField[slot] = -1
            return
        }
        slotField[slot] = field
        slotKind[slot] = kind
        slotLength[slot] = UInt8(value.count)
        slotHitCount[slot] = UInt8(hits.count)
        if value.count > 0 {
            (slotValue + slot * Self.maximumValueLength).update(from: value.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                                               count: value.count)
        }
        var target = slotHits + slot * Self.maximumHits
        for test in hits {
            target.pointee = test
            target += 1
        }
    }
}

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
/// A `DirectMappedMemo` of `slotCount` slots, sequences of up to `maximumKeyLength` tests making
/// up to `maximumCandidates` candidates. Owned by one `PatternMatcher` (one thread).
struct CandidateMemo: ~Copyable {
    /// The slots of a matcher in production: 512, of 268 bytes each (134 KB).
    static let standardSlotCount = 512
    /// Keys of up to 32 tests of 4 bytes, answers of up to 32 branches.
    private typealias Memo = DirectMappedMemo<128, 32>
    static let maximumKeyLength = Memo.keyCapacity / MemoryLayout<Int32>.stride
    static let maximumCandidates = Memo.answerCapacity

    private let memo: Memo

    /// An empty memo of `slotCount` slots (a power of two; 0 remembers nothing).
    init(slotCount: Int = CandidateMemo.standardSlotCount) {
        memo = DirectMappedMemo(slotCount: slotCount)
    }

    /// The slot the sequence `tests` belongs in, or nil when it is not remembered (too long, or no memo).
    @inline(__always)
    func slot(for tests: UnsafeBufferPointer<Int32>) -> Int? {
        memo.slot(tag: 0, key: UnsafeRawBufferPointer(tests))
    }

    /// The candidates `slot` holds for `tests`, or nil when it holds another sequence's (or none).
    @inline(__always)
    func candidates(in slot: Int, for tests: UnsafeBufferPointer<Int32>) -> UnsafeBufferPointer<Int32>? {
        memo.answer(in: slot, tag: 0, key: UnsafeRawBufferPointer(tests))
    }

    /// Remembers that `tests` made `candidates`; more candidates than a slot holds are not
    /// remembered (the slot is emptied).
    @inline(__always)
    func remember(_ slot: Int, tests: UnsafeBufferPointer<Int32>, candidates: UnsafeBufferPointer<Int32>) {
        memo.remember(slot, tag: 0, key: UnsafeRawBufferPointer(tests), answer: candidates)
    }
}

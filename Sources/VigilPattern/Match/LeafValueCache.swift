/// The tests short leaf values met, remembered by (field, kind of value, bytes), so that a value
/// seen again skips its automaton run, address parse, range search and literal comparisons.
///
/// Logs repeat their short values without end: a flow log's ports, protocols, actions, addresses
/// and interface ids, CloudTrail's event names, sources and regions. What a leaf meets depends on
/// its field's tests, the kind of value and its bytes alone (`PatternMatcher.evaluateLeaf`), so
/// a remembered answer is the answer: a `DirectMappedMemo` of `slotCount` slots, values up to
/// `maximumValueLength` bytes meeting up to `maximumHits` tests.
///
/// Owned by one `PatternMatcher` (one thread), like its automata.
struct LeafValueCache: ~Copyable {
    /// The slots of a matcher in production: 2,048, of 120 bytes each (240 KB).
    static let standardSlotCount = 2048
    private typealias Memo = DirectMappedMemo<48, 15>
    static let maximumValueLength = Memo.keyCapacity
    static let maximumHits = Memo.answerCapacity

    private let memo: Memo

    /// An empty cache of `slotCount` slots (a power of two; 0 remembers nothing).
    init(slotCount: Int = LeafValueCache.standardSlotCount) {
        memo = DirectMappedMemo(slotCount: slotCount)
    }

    /// The field and the kind of value, as the memo's tag.
    @inline(__always)
    private static func tag(field: Int32, kind: UInt8) -> UInt64 {
        UInt64(UInt32(bitPattern: field)) << 8 | UInt64(kind)
    }

    /// The slot a value belongs in, or nil when the value is not remembered (too long, or no cache).
    @inline(__always)
    func slot(field: Int32, kind: UInt8, value: UnsafeRawBufferPointer) -> Int? {
        memo.slot(tag: Self.tag(field: field, kind: kind), key: value)
    }

    /// The tests `slot` holds for this value, or nil when it holds another value's (or none);
    /// valid until the next `remember`.
    @inline(__always)
    func hits(in slot: Int, field: Int32, kind: UInt8, value: UnsafeRawBufferPointer) -> UnsafeBufferPointer<Int32>? {
        memo.answer(in: slot, tag: Self.tag(field: field, kind: kind), key: value)
    }

    /// Remembers that the value met `hits` in `slot`; a value meeting more than `maximumHits`
    /// tests is not remembered (its slot is emptied, not left holding another value's tests).
    @inline(__always)
    func remember(_ slot: Int, field: Int32, kind: UInt8, value: UnsafeRawBufferPointer, hits: UnsafeBufferPointer<Int32>) {
        memo.remember(slot, tag: Self.tag(field: field, kind: kind), key: value, answer: hits)
    }
}

/// Where each top-level member of a JSON object lies, noted while the object was validated.
///
/// Validation has to walk every byte of a record anyway; noting where its keys and values are
/// costs almost nothing there and spares every later pass over the same record (the normalizer
/// looking for `eventTime`, the scanner looking for the keys some pattern names) the walk through
/// the large values they do not want, such as CloudTrail's `requestParameters` and
/// `responseElements`: they go from member to member instead.
///
/// One index is reused record after record by its owner (a reader, or a writer of objects such
/// as a flow record's `detail`); what it holds describes the object last validated or written
/// into it, with offsets relative to that object's first byte.
///
/// `count`, `key`, `value` and noting are `@inlinable`: the event scanner (in VigilPattern) and
/// the normalizer (in VigilIngest) read them for every member of every record, and the flow log
/// writer notes every field, each from outside this module.
public final class ObjectMemberIndex {
    /// The members as they are noted, in order.
    ///
    /// Four offsets per member: key start, key end (the key's contents, without quotes), value
    /// start, value end. A key containing a backslash has its end stored negated, minus one.
    public struct Notes {
        @usableFromInline
        internal var values: [Int] = []

        mutating func removeAll() {
            values.removeAll(keepingCapacity: true)
        }

        /// Notes the next member: its key's contents (between the quotes; `keyIsEscaped` when
        /// they hold a backslash) and its value, as offsets from the object's first byte.
        @inlinable @inline(__always)
        public mutating func append(key: Range<Int>, keyIsEscaped: Bool, value: Range<Int>) {
            values.append(key.lowerBound)
            values.append(keyIsEscaped ? -key.upperBound - 1 : key.upperBound)
            values.append(value.lowerBound)
            values.append(value.upperBound)
        }
    }

    @usableFromInline
    internal var offsets = Notes()

    /// Where the vector validator writes the members of an object it proves well-formed, before
    /// they become `offsets` (`VectorJSONValidation`); allocated at its first use (an index that
    /// only notes members as they are written never needs it) and grown when an object has more.
    private(set) var vectorNotes: UnsafeMutablePointer<Int>?
    private(set) var vectorNotesCapacity = 0

    /// The length of the value last validated into this index, from its first byte (no
    /// whitespace before it) to its end, when the vector validator proved that it holds no
    /// whitespace outside its strings; nil when that is not known (not proven, validated the
    /// scalar way, or noted as written). A writer that finds it equal to the record's length
    /// copies the record as its compacted form instead of proving that again byte by byte
    /// (`EventEnvelope.detailIsKnownCompact`).
    public private(set) var compactLength: Int?

    public init() {}

    deinit {
        vectorNotes?.deallocate()
    }

    /// Room for twice as many members in `vectorNotes` (64 at first; what it held is not kept).
    func growVectorNotes() {
        vectorNotes?.deallocate()
        vectorNotesCapacity = max(4 * 64, 2 * vectorNotesCapacity)
        vectorNotes = .allocate(capacity: vectorNotesCapacity)
    }

    /// The members the vector validator wrote, `count` offsets, become this index's, with what it
    /// proved of the value's compactness (`compactLength`).
    func takeVectorNotes(count: Int, compactLength: Int?) {
        self.compactLength = compactLength
        offsets.values.removeAll(keepingCapacity: true)
        offsets.values.append(contentsOf: UnsafeBufferPointer(start: vectorNotes, count: count))
    }

    /// How many members the object has.
    @inlinable
    public var count: Int { offsets.values.count / 4 }

    /// Appends the notes of the object last noted (four offsets per member, relative to its first
    /// byte) to `copy`, so that another index can take them up later (`takeNotes(_:compactLength:)`, with `compactLength`): how a
    /// record and its members travel to another thread together (`RecordBatch`).
    public func appendNotes(to copy: inout [Int]) {
        copy.append(contentsOf: offsets.values)
    }

    /// Takes up notes copied with `appendNotes(to:)`, and the `compactLength` read with them, in
    /// place of what this index held.
    public func takeNotes(_ notes: UnsafeBufferPointer<Int>, compactLength: Int?) {
        self.compactLength = compactLength
        offsets.values.removeAll(keepingCapacity: true)
        offsets.values.append(contentsOf: notes)
    }

    /// Emptied, then lent to `body` to note the members of a new object. The notes are lent
    /// rather than appended through the index so that noting costs an append, not a method call
    /// with its reference counting.
    public func withNotes<Result, Failure: Error>(_ body: (inout Notes) throws(Failure) -> Result) throws(Failure) -> Result {
        compactLength = nil
        offsets.removeAll()
        return try body(&offsets)
    }

    /// The contents of member `index`'s key (between its quotes, still escaped when `isEscaped`).
    @inlinable @inline(__always)
    public func key(_ index: Int) -> (range: Range<Int>, isEscaped: Bool) {
        let end = offsets.values[4 * index + 1]
        return end < 0 ? (offsets.values[4 * index]..<(-end - 1), true) : (offsets.values[4 * index]..<end, false)
    }

    /// The bytes of member `index`'s value.
    @inlinable @inline(__always)
    public func value(_ index: Int) -> Range<Int> {
        offsets.values[4 * index + 2]..<offsets.values[4 * index + 3]
    }

    /// Calls `body` with each member of `object` (the bytes this index was made from), in order,
    /// like `JSONMembers.forEach` but without reading the object again. `body` returns false to stop.
    /// Inlinable, so that the normalizer's loop over a record's members is compiled with its body
    /// in place rather than calling a closure per member.
    @inlinable
    public func forEach(in object: UnsafeRawBufferPointer,
                        _ body: (_ key: UnsafeRawBufferPointer, _ keyIsEscaped: Bool, _ value: Range<Int>) -> Bool) {
        for index in 0..<count {
            let (key, isEscaped) = key(index)
            guard body(UnsafeRawBufferPointer(rebasing: object[key]), isEscaped, value(index)) else { return }
        }
    }
}

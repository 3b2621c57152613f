/// A growable run of plain values that a matcher rewrites for every event: its leaves, the tests
/// they met, the stamps of its counters.
///
/// `Array` kept in a class property checks that its storage is uniquely referenced on every write
/// and empties itself through a generic, out-of-line `replaceSubrange`: on a 20-rule flow log
/// replay, with ten leaves a record, those checks and calls were 5 % of the instructions. Here a
/// write is a bounds check and a store, an append a capacity check and a store, and emptying sets
/// the count to zero. Not copyable, so that the memory has one owner and is freed once.
struct WorkingBuffer<Element: BitwiseCopyable>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    /// How many values the buffer holds.
    private(set) var count = 0

    /// An empty buffer with room for `capacity` values before it grows.
    init(capacity: Int = 16) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    /// A buffer of `count` copies of `value`.
    init(repeating value: Element, count: Int) {
        self.init(capacity: count)
        base.initialize(repeating: value, count: count)
        self.count = count
    }

    deinit {
        base.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    var indices: Range<Int> { 0..<count }

    /// The values, valid until the buffer is next changed.
    var elements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    subscript(index: Int) -> Element {
        @inline(__always) get {
            precondition(index >= 0 && index < count, "index out of range")
            return base[index]
        }
        @inline(__always) set {
            precondition(index >= 0 && index < count, "index out of range")
            base[index] = newValue
        }
    }

    @inline(__always)
    mutating func append(_ value: Element) {
        if count == capacity { grow(toHold: count + 1) }
        (base + count).initialize(to: value)
        count += 1
    }

    @inline(__always)
    mutating func append(contentsOf values: UnsafeBufferPointer<Element>) {
        guard let source = values.baseAddress, values.count > 0 else { return }
        if count + values.count > capacity { grow(toHold: count + values.count) }
        (base + count).initialize(from: source, count: values.count)
        count += values.count
    }

    /// Empties the buffer, keeping its memory.
    @inline(__always)
    mutating func removeAll() {
        count = 0
    }

    /// Sets every value to `value`.
    mutating func fill(with value: Element) {
        base.update(repeating: value, count: count)
    }

    @inline(never)
    private mutating func grow(toHold needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}

/// The `cidr` tests of one field, kept so that the ranges holding an address are found by binary
/// search instead of by trying every range.
///
/// Rule sets name many networks on one field (`sourceIPAddress`); with hundreds of ranges, trying
/// each one was the largest cost of matching an event. Ranges are kept sorted by their lower end,
/// each with the highest upper end among it and the ranges before it (`reach`): the ranges holding
/// an address all lie at or before the last lower end not above it, and a walk back from there
/// stops as soon as `reach` falls below the address. Disjoint ranges cost a binary search and one
/// comparison; nested ones, one step back each.
struct IPRangeIndex {
    private var lowers: [IPAddress] = []
    private var uppers: [IPAddress] = []
    private var reach: [IPAddress] = []
    private var tests: [Int32] = []

    var isEmpty: Bool { tests.isEmpty }

    /// An equal index whose arrays are its own (see `CompiledField.unsharedCopy`).
    func unsharedCopy() -> IPRangeIndex {
        var copy = IPRangeIndex()
        copy.lowers = lowers.map { $0 }
        copy.uppers = uppers.map { $0 }
        copy.reach = reach.map { $0 }
        copy.tests = tests.map { $0 }
        return copy
    }

    /// Adds the test met by addresses in `range` (its ends share a family).
    mutating func insert(_ range: IPRange, test: Int32) {
        var position = lowers.count
        while position > 0 && range.lower < lowers[position - 1] { position -= 1 }
        lowers.insert(range.lower, at: position)
        uppers.insert(range.upper, at: position)
        tests.insert(test, at: position)
        reach.insert(range.upper, at: position)
        for index in position..<reach.count {
            reach[index] = index == 0 ? uppers[0] : max(reach[index - 1], uppers[index])
        }
    }

    /// Calls `body` with the test of every range that holds `address`.
    @inline(__always)
    func forEachTest(containing address: IPAddress, _ body: (Int32) -> Void) {
        // The first range whose lower end is above the address; the ranges before it may hold it.
        var low = 0
        var high = lowers.count
        while low < high {
            let middle = (low + high) / 2
            if address < lowers[middle] { high = middle } else { low = middle + 1 }
        }
        var index = low - 1
        // IPAddress orders by family first, so a range of the other family never holds it.
        while index >= 0 && !(reach[index] < address) {
            if !(uppers[index] < address) { body(tests[index]) }
            index -= 1
        }
    }
}

import Testing
@testable import VigilPattern

/// The index of a field's `cidr` ranges finds exactly the ranges a look at every range finds.
@Suite("IP range index")
struct IPRangeIndexTests {
    /// A small deterministic generator, so that a failure can be replayed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state
        }
    }

    @Test("nested, overlapping, disjoint and mixed-family ranges", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func agreesWithLinearSearch(seed: UInt64) throws {
        var random = Generator(state: seed)
        var index = IPRangeIndex()
        var ranges: [(IPRange, Int32)] = []
        for test in 0..<300 {
            // Masks from /4 to /31 over a narrow part of the space, so that ranges nest and overlap.
            let prefix = Int.random(in: 4...31, using: &random)
            let text = "10.\(Int.random(in: 0...3, using: &random)).\(Int.random(in: 0...255, using: &random)).0/\(prefix)"
            let v6 = "2001:db8:\(String(Int.random(in: 0...3, using: &random), radix: 16))::/\(Int.random(in: 20...120, using: &random))"
            let range = try IPRange.cidr(test % 4 == 0 ? v6 : text)
            index.insert(range, test: Int32(test))
            ranges.append((range, Int32(test)))
        }
        for _ in 0..<2_000 {
            let address = Bool.random(using: &random)
                ? IPAddress.parse("10.\(Int.random(in: 0...4, using: &random)).\(Int.random(in: 0...255, using: &random)).\(Int.random(in: 0...255, using: &random))")
                : IPAddress.parse("2001:db8:\(String(Int.random(in: 0...4, using: &random), radix: 16))::\(String(Int.random(in: 0...0xffff, using: &random), radix: 16))")
            let found = try #require(address)
            var fromIndex: [Int32] = []
            index.forEachTest(containing: found) { fromIndex.append($0) }
            let expected = ranges.filter { $0.0.contains(found) }.map(\.1)
            #expect(fromIndex.sorted() == expected.sorted(), "\(found)")
        }
    }
}

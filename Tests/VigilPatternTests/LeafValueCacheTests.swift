import Testing
@testable import VigilPattern

/// The matcher's cache of what short leaf values met (`LeafValueCache`): remembering must never
/// change a verdict, whatever the values, their kinds, and however often slots are taken over.
@Suite("Leaf value cache")
struct LeafValueCacheTests {
    /// Three matchers of one random set of 60 patterns — the production cache, a cache of two
    /// slots (values keep taking each other's slot), and none — give the same patterns in the
    /// same order for every event of a stream drawn from the property tests' small vocabulary,
    /// in which values come again and again.
    @Test("a cached, a colliding and an uncached matcher agree on every event", arguments: [UInt64(21), 22, 23, 24])
    func cachingNeverChangesAVerdict(seed: UInt64) throws {
        let matches = try RememberingMatchers.expectAgreement(seed: seed) { set in
            (reference: PatternMatcher(set, leafCacheSlots: 0),
             others: [("cached", PatternMatcher(set)), ("two slots", PatternMatcher(set, leafCacheSlots: 2))])
        }
        #expect(matches > 300, "the stream should match often (got \(matches))")
    }

    /// The same bytes as a string, an escaped string and a number meet different tests: the kind
    /// is part of what is remembered. So is the field, and so are the bytes of values of one
    /// length (with one slot, each value takes the slot of the one before).
    @Test func theKindTheFieldAndTheBytesArePartOfTheKey() throws {
        let set = CompiledPatternSet([
            (name: "string", pattern: try EventPattern(json: #"{"a": ["53"]}"#)),
            (name: "number", pattern: try EventPattern(json: #"{"a": [53]}"#)),
            (name: "other field", pattern: try EventPattern(json: #"{"b": [53]}"#)),
            (name: "escaped", pattern: try EventPattern(json: #"{"a": ["\u0041"]}"#)),
            (name: "rejected", pattern: try EventPattern(json: #"{"action": ["REJECT"]}"#)),
        ])
        for slots in [LeafValueCache.standardSlotCount, 1] {
            let matcher = PatternMatcher(set, leafCacheSlots: slots)
            for _ in 0..<3 {
                #expect(try names(matcher, set, #"{"a": "53"}"#) == ["string"])
                #expect(try names(matcher, set, #"{"a": 53}"#) == ["number"])
                #expect(try names(matcher, set, #"{"b": 53}"#) == ["other field"])
                #expect(try names(matcher, set, #"{"b": "53"}"#) == [])
                #expect(try names(matcher, set, #"{"a": "\u0041"}"#) == ["escaped"])
                #expect(try names(matcher, set, #"{"a": "A"}"#) == ["escaped"])
                #expect(try names(matcher, set, #"{"action": "REJECT"}"#) == ["rejected"])
                #expect(try names(matcher, set, #"{"action": "ACCEPT"}"#) == [])
            }
        }
    }

    /// Values longer than a slot holds, and values meeting more tests than a slot holds, are
    /// matched afresh every time; the slot of the latter no longer answers for what it held.
    @Test func longValuesAndValuesMeetingManyTestsAreNotRemembered() throws {
        let long = String(repeating: "x", count: LeafValueCache.maximumValueLength + 1)
        let manyTests = (1...LeafValueCache.maximumHits + 1).map { index in
            (name: "prefix \(index)", pattern: try! EventPattern(json: #"{"a": [{"prefix": "\#(String(repeating: "x", count: index))"}]}"#))
        }
        let set = CompiledPatternSet(manyTests + [(name: "long", pattern: try EventPattern(json: #"{"a": ["\#(long)"]}"#))])
        let matcher = PatternMatcher(set, leafCacheSlots: 1)
        let value = String(repeating: "x", count: LeafValueCache.maximumHits + 1)
        for _ in 0..<3 {
            #expect(try names(matcher, set, #"{"a": "\#(long)"}"#).count == manyTests.count + 1)
            #expect(try names(matcher, set, #"{"a": "\#(value)"}"#).count == manyTests.count)
            #expect(try names(matcher, set, #"{"a": "xx"}"#) == ["prefix 1", "prefix 2"])
        }

        let cache = LeafValueCache(slotCount: 4)
        let tooLong = [UInt8](repeating: 0x78, count: LeafValueCache.maximumValueLength + 1)
        let tooLongSlot = tooLong.withUnsafeBytes { cache.slot(field: 0, kind: 0, value: $0) }
        #expect(tooLongSlot == nil)
        let short: [UInt8] = Array("x".utf8)
        short.withUnsafeBytes { bytes in
            let slot = cache.slot(field: 0, kind: 0, value: bytes)!
            [Int32(7), 9].withUnsafeBufferPointer { cache.remember(slot, field: 0, kind: 0, value: bytes, hits: $0) }
            let tests = cache.hits(in: slot, field: 0, kind: 0, value: bytes).map(Array.init)
            let heldForAnotherField = cache.hits(in: slot, field: 1, kind: 0, value: bytes) != nil
            let heldForAnotherKind = cache.hits(in: slot, field: 0, kind: 3, value: bytes) != nil
            #expect(tests == [7, 9])
            #expect(!heldForAnotherField)
            #expect(!heldForAnotherKind)
            Array(repeating: Int32(1), count: LeafValueCache.maximumHits + 1).withUnsafeBufferPointer {
                cache.remember(slot, field: 0, kind: 0, value: bytes, hits: $0)
            }
            let heldAfterTooMany = cache.hits(in: slot, field: 0, kind: 0, value: bytes) != nil
            #expect(!heldAfterTooMany)
        }
        let off = LeafValueCache(slotCount: 0)
        let offSlot = short.withUnsafeBytes { off.slot(field: 0, kind: 0, value: $0) }
        #expect(offSlot == nil)
    }

    private func names(_ matcher: PatternMatcher, _ set: CompiledPatternSet, _ event: String) throws -> [String] {
        try matcher.match(Array(event.utf8)).map { set.names[Int($0)] }.sorted()
    }
}

import Testing
@testable import VigilPattern

/// The matcher's memo of the candidate branches each sequence of tests made (`CandidateMemo`):
/// remembering must never change a verdict nor the order of the patterns found.
@Suite("Candidate memo")
struct CandidateMemoTests {
    /// Three matchers of one random set of 60 patterns — the production memo, a memo of one slot
    /// (every new sequence takes the slot), and none — find the same patterns in the same order
    /// for every event of a stream drawn from the property tests' small vocabulary. The leaf
    /// cache is off in all three, so that only the memo differs.
    @Test("a memoized, a colliding and an unmemoized matcher agree on every event", arguments: [UInt64(31), 32, 33, 34])
    func rememberingNeverChangesAVerdict(seed: UInt64) throws {
        let matches = try RememberingMatchers.expectAgreement(seed: seed) { set in
            (reference: PatternMatcher(set, leafCacheSlots: 0, candidateMemoSlots: 0),
             others: [("memoized", PatternMatcher(set, leafCacheSlots: 0)),
                      ("one slot", PatternMatcher(set, leafCacheSlots: 0, candidateMemoSlots: 1))])
        }
        #expect(matches > 300, "the stream should match often (got \(matches))")
    }

    /// Events meeting the same tests in another order, or a subset of them, are told apart: with
    /// one slot, each takes the slot of the one before.
    @Test func theTestsAndTheirOrderAreTheKey() throws {
        let set = CompiledPatternSet([
            (name: "a and b", pattern: try EventPattern(json: #"{"a": ["1"], "b": ["2"]}"#)),
            (name: "a", pattern: try EventPattern(json: #"{"a": ["1"]}"#)),
            (name: "b", pattern: try EventPattern(json: #"{"b": ["2"]}"#)),
            (name: "not b", pattern: try EventPattern(json: #"{"a": ["1"], "b": [{"exists": false}]}"#)),
        ])
        let cases: [(event: String, patterns: Set<String>)] = [
            (#"{"a": "1", "b": "2"}"#, ["a and b", "a", "b"]),
            (#"{"b": "2", "a": "1"}"#, ["a and b", "a", "b"]),
            (#"{"a": "1"}"#, ["a", "not b"]),
            (#"{"a": "1", "b": "3"}"#, ["a"]),
            (#"{"b": "2"}"#, ["b"]),
            (#"{"c": "2"}"#, []),
        ]
        let unmemoized = PatternMatcher(set, leafCacheSlots: 0, candidateMemoSlots: 0)
        for slots in [CandidateMemo.standardSlotCount, 1] {
            let matcher = PatternMatcher(set, leafCacheSlots: 0, candidateMemoSlots: slots)
            for _ in 0..<3 {
                for (event, patterns) in cases {
                    let found = try names(matcher, set, event)
                    #expect(Set(found) == patterns, "\(event)")
                    #expect(found == (try names(unmemoized, set, event)), "\(event): the order found")
                }
            }
        }
    }

    /// More tests than a slot's key holds, and more candidates than a slot holds, are worked out
    /// afresh every time, never cut short.
    @Test func longSequencesAndManyCandidatesAreNotRemembered() throws {
        let many = CandidateMemo.maximumKeyLength + 8
        let patterns = try (0..<many).map { index in
            (name: "v\(index)", pattern: try EventPattern(json: #"{"a": ["v\#(index)"]}"#))
        } + (0..<many).map { index in
            (name: "w\(index)", pattern: try EventPattern(json: #"{"w": ["x"]}"#))
        }
        let set = CompiledPatternSet(patterns)
        let allValues = (0..<many).map { "\"v\($0)\"" }.joined(separator: ",")
        let matcher = PatternMatcher(set, leafCacheSlots: 0, candidateMemoSlots: 1)
        for _ in 0..<3 {
            #expect(try matcher.match(Array(#"{"a": [\#(allValues)]}"#.utf8)).count == many)
            // Twice in a row, so that a slot holding a cut-short answer would be read.
            #expect(try matcher.match(Array(#"{"w": "x"}"#.utf8)).count == many)
            #expect(try matcher.match(Array(#"{"w": "x"}"#.utf8)).count == many)
            #expect(try names(matcher, set, #"{"a": "v3"}"#) == ["v3"])
        }

        let memo = CandidateMemo(slotCount: 4)
        let tooLong = [Int32](0..<Int32(CandidateMemo.maximumKeyLength + 1))
        #expect(tooLong.withUnsafeBufferPointer { memo.slot(for: $0) } == nil)
        let tests: [Int32] = [4, 2]
        let tooMany = [Int32](repeating: 1, count: CandidateMemo.maximumCandidates + 1)
        tests.withUnsafeBufferPointer { key in
            let slot = memo.slot(for: key)!
            #expect(memo.candidates(in: slot, for: key) == nil)
            [Int32(5), 6].withUnsafeBufferPointer { memo.remember(slot, tests: key, candidates: $0) }
            #expect(memo.candidates(in: slot, for: key).map(Array.init) == [5, 6])
            [Int32(2), 4].withUnsafeBufferPointer { #expect(memo.candidates(in: slot, for: $0) == nil) }
            [Int32(4)].withUnsafeBufferPointer { #expect(memo.candidates(in: slot, for: $0) == nil) }
            tooMany.withUnsafeBufferPointer { memo.remember(slot, tests: key, candidates: $0) }
            #expect(memo.candidates(in: slot, for: key) == nil)
        }
        let off = CandidateMemo(slotCount: 0)
        #expect(tests.withUnsafeBufferPointer { off.slot(for: $0) } == nil)
    }

    /// The names of the patterns `event` matches, in the order the matcher found them.
    private func names(_ matcher: PatternMatcher, _ set: CompiledPatternSet, _ event: String) throws -> [String] {
        try matcher.match(Array(event.utf8)).map { set.names[Int($0)] }
    }
}

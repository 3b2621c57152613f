import Testing
@testable import VigilPattern

/// What the matcher's memo tests share: matchers of one random pattern set that differ only in
/// what they remember must find the same patterns, in the same order, for every event.
enum RememberingMatchers {
    /// Makes a random set of 60 patterns from the property tests' vocabulary, a stream of 150
    /// events from it (each twice: once among the others, once more after them all, when what it
    /// met is remembered), and matches each with `reference` and with every one of `others`,
    /// all made by `make` from the set. Records an issue for each disagreement (the first five in
    /// words) and returns how many patterns the reference found in all.
    static func expectAgreement(seed: UInt64,
                                make: (CompiledPatternSet) -> (reference: PatternMatcher, others: [(String, PatternMatcher)]))
        throws -> Int {
        var rng = SplitMix64(seed: seed)
        let generated = PropertyTests.generatePatterns(&rng, count: 60)
        let set = CompiledPatternSet(generated.compiled.enumerated().map { (name: "p\($0.offset)", pattern: $0.element) })
        let (reference, others) = make(set)
        var events: [[UInt8]] = []
        for _ in 0..<150 { events.append(Array(GenVocabulary.event(&rng, objectArrays: true).utf8)) }
        var disagreements = 0
        var matches = 0
        for event in events + events.shuffledDeterministically(using: &rng) {
            let expected = try reference.match(event)
            matches += expected.count
            for (name, matcher) in others {
                let found = try matcher.match(event)
                if found != expected {
                    disagreements += 1
                    if disagreements <= 5 {
                        Issue.record("\(name): \(found) against \(expected) on \(String(decoding: event, as: UTF8.self))")
                    }
                }
            }
        }
        #expect(disagreements == 0)
        return matches
    }
}

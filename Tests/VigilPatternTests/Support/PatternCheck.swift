import Testing
@testable import VigilPattern

/// One row of a match table: a pattern, an event, and event-ruler's verdict.
struct PatternCase: Sendable, CustomTestStringConvertible {
    let pattern: String
    let event: String
    let matches: Bool

    var testDescription: String { "\(matches ? "match" : "no match"): \(pattern) ~ \(event)" }

    static func match(_ pattern: String, _ event: String) -> PatternCase {
        PatternCase(pattern: pattern, event: event, matches: true)
    }

    static func noMatch(_ pattern: String, _ event: String) -> PatternCase {
        PatternCase(pattern: pattern, event: event, matches: false)
    }
}

/// Helpers shared by the pattern test suites.
enum PatternCheck {
    static func verdict(_ pattern: String, _ event: String) -> PatternTester.Verdict {
        PatternTester.test(pattern: Array(pattern.utf8), event: Array(event.utf8))
    }

    /// Expects `testCase`'s verdict from `PatternTester` (parse, validate the event, compile, match).
    static func check(_ testCase: PatternCase, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected: PatternTester.Verdict = testCase.matches ? .match : .noMatch
        let got = verdict(testCase.pattern, testCase.event)
        #expect(got == expected, "pattern \(testCase.pattern) event \(testCase.event)", sourceLocation: sourceLocation)
    }

    /// The pattern indices `event` matches in a set compiled from `patterns`, sorted.
    static func matches(_ patterns: [String], _ event: String) throws -> [Int32] {
        let set = CompiledPatternSet(try patterns.enumerated().map { (name: "p\($0.offset)", pattern: try EventPattern(json: $0.element)) })
        return try set.makeMatcher().match(Array(event.utf8)).sorted()
    }

    /// The message a pattern is refused with, or nil if it is accepted.
    static func refusal(_ pattern: String) -> String? {
        do {
            _ = try EventPattern(json: pattern)
            return nil
        } catch {
            return error.message
        }
    }
}

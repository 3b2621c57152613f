import Foundation
import Testing
import VigilJSON
@testable import VigilPattern

/// Every case of `../shared/conformance/pattern-cases.jsonl`, with the verdicts of AWS's own
/// matcher (event-ruler 2.0.1), must get the same verdict here; refused patterns must be refused
/// with event-ruler's words.
@Suite("EventBridge conformance")
struct ConformanceTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let id: Int
        let pattern: String
        let event: String
        let expect: String
        let error: String?
        var testDescription: String { "case \(id) (\(expect))" }
    }

    static let cases: [Case] = {
        guard let text = try? String(contentsOf: TestPaths.conformanceCases, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return Case(id: object["id"] as! Int, pattern: object["pattern"] as! String,
                        event: object["event"] as! String, expect: object["expect"] as! String,
                        error: object["error"] as? String)
        }
    }()

    @Test("the shared case file is present and complete",
          .enabled(if: TestPaths.exists(TestPaths.conformanceCases), "../shared/conformance is not beside the repository"))
    func caseFileIsComplete() {
        #expect(Self.cases.count >= 504)
    }

    @Test("every case agrees with event-ruler", arguments: cases)
    func agreesWithEventRuler(_ testCase: Case) {
        let verdict = PatternTester.test(pattern: Array(testCase.pattern.utf8), event: Array(testCase.event.utf8))
        switch testCase.expect {
        case "match":
            #expect(verdict == .match, "pattern \(testCase.pattern) event \(testCase.event)")
            #expect(Self.matchesThroughMemberIndex(testCase) == true)
        case "no-match":
            #expect(verdict == .noMatch, "pattern \(testCase.pattern) event \(testCase.event)")
            #expect(Self.matchesThroughMemberIndex(testCase) == false)
        default:
            guard case .invalid(let message) = verdict else {
                Issue.record("expected the pattern to be refused with \(testCase.error ?? ""), got \(verdict)")
                return
            }
            #expect(message.contains(testCase.error ?? "\u{0}"), "got: \(message)")
        }
    }

    /// The verdict when the event is first validated into an `ObjectMemberIndex` and scanned
    /// from member to member, as readers' records are; nil when the pattern or event is refused.
    static func matchesThroughMemberIndex(_ testCase: Case) -> Bool? {
        guard let pattern = try? EventPattern(json: Array(testCase.pattern.utf8)) else { return nil }
        let matcher = CompiledPatternSet([(name: "pattern", pattern: pattern)]).makeMatcher()
        let members = ObjectMemberIndex()
        return Array(testCase.event.utf8).withUnsafeBytes { event -> Bool? in
            guard (try? JSONValidator.validate(event, members: members)) != nil,
                  let matched = try? matcher.match(event, members: members) else { return nil }
            return !matched.isEmpty
        }
    }
}

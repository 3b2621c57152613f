import VigilJSON
import VigilPattern

/// Runs rules' inline tests (`vigil rules test`): each test event against its rule's pattern,
/// with the verdict of the same matcher that runs in replay and tail, and for a test that
/// expected a match and did not get one, the first field that failed.
public enum RuleTestRunner {
    /// One test's result.
    public struct Outcome: Sendable {
        public enum Verdict: Sendable {
            case passed
            /// The pattern decided the other way; `explanation` says why for a missed match.
            case failed(got: RuleTest.Expectation, explanation: PatternExplanation?)
            /// The event could not be matched at all (e.g. nesting beyond the matcher's limit).
            case invalid(String)
        }

        public let rule: String
        public let test: RuleTest
        public let verdict: Verdict

        public var passed: Bool {
            if case .passed = verdict { return true }
            return false
        }
    }

    /// Runs every test of `rule`, in order.
    public static func run(_ rule: Rule) -> [Outcome] {
        let matcher = CompiledPatternSet([(name: rule.name, pattern: rule.pattern)]).makeMatcher()
        return rule.tests.map { (test: RuleTest) -> Outcome in
            let matched: Bool
            do throws(EventError) {
                matched = try !matcher.match(test.event).isEmpty
            } catch {
                return Outcome(rule: rule.name, test: test, verdict: .invalid("the event cannot be matched: \(error.message)"))
            }
            let got: RuleTest.Expectation = matched ? .match : .noMatch
            guard got != test.expectation else { return Outcome(rule: rule.name, test: test, verdict: .passed) }
            let explanation = matched ? nil : (try? PatternExplainer.explain(rule.pattern, event: test.event)) ?? nil
            return Outcome(rule: rule.name, test: test, verdict: .failed(got: got, explanation: explanation))
        }
    }
}

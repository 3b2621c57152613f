import Foundation
import Testing
import VigilAlerts

/// `vigil rules test`: verdicts of the real matcher, and why a missed match missed.
@Suite struct RuleTestRunnerTests {
    @Test func verdictsAndExplanations() throws {
        let directory = try AlertsFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("r.json")
        try Data(#"""
            {"name":"rds-public","severity":"high",
             "eventPattern":{"source":["aws.rds"],"detail":{"requestParameters":{"publiclyAccessible":[true]}}},
             "tests":[
               {"name":"public","event":{"source":"aws.rds","detail-type":"x","detail":{"requestParameters":{"publiclyAccessible":true}}},"expect":"match"},
               {"name":"wrongly expected","event":{"source":"aws.rds","detail-type":"x","detail":{"requestParameters":{"publiclyAccessible":false}}},"expect":"match"},
               {"name":"wrongly refused","event":{"source":"aws.rds","detail-type":"x","detail":{"requestParameters":{"publiclyAccessible":true}}},"expect":"no-match"}]}
            """#.utf8).write(to: file)
        let loaded = RuleLoader.load(paths: [file.path])
        let rule = try #require(loaded.rules.first)
        let outcomes = RuleTestRunner.run(rule)
        #expect(outcomes.map(\.passed) == [true, false, false])
        guard case .failed(let got, let explanation) = outcomes[1].verdict else {
            Issue.record("expected a failure")
            return
        }
        #expect(got == .noMatch)
        #expect(explanation?.path == "detail.requestParameters.publiclyAccessible")
        guard case .failed(.match, nil) = outcomes[2].verdict else {
            Issue.record("a wrong match has nothing to explain")
            return
        }
    }

    @Test func everyShippedRuleTestPasses() {
        let loaded = RuleLoader.load(paths: [AlertsFixtures.rules])
        #expect(loaded.problems.isEmpty)
        for rule in loaded.rules {
            for outcome in RuleTestRunner.run(rule) where !outcome.passed {
                Issue.record("\(rule.name): \(outcome.test.name) at \(outcome.test.location) failed")
            }
        }
    }
}

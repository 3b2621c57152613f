import Foundation
import Testing
import VigilAlerts

/// `--import-targets`: the EventBridge targets of rules imported from AWS become AWS sinks.
@Suite struct ImportedTargetsTests {
    func load(_ text: String) throws -> RuleLoader.Result {
        let directory = try AlertsFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("rules.json")
        try Data(text.utf8).write(to: file)
        return RuleLoader.load(paths: [file.path])
    }

    /// list-rules output, each rule with its `Targets` as `aws events list-targets-by-rule` prints them.
    static let listRules = #"""
        {"Rules": [
          {"Name": "root-login", "EventPattern": "{\"detail-type\":[\"AWS Console Sign In via CloudTrail\"]}",
           "Targets": [{"Id": "page", "Arn": "arn:aws:sns:eu-west-1:111122223333:security-alerts"},
                       {"Id": "respond", "Arn": "arn:aws:lambda:eu-west-1:111122223333:function:respond:live"},
                       {"Id": "archive", "Arn": "arn:aws:sqs:eu-west-1:111122223333:archive"},
                       {"Id": "again", "Arn": "arn:aws:sns:eu-west-1:111122223333:security-alerts"}]},
          {"Name": "kms-delete", "EventPattern": "{\"source\":[\"aws.kms\"]}",
           "Targets": [{"Id": "central", "Arn": "arn:aws:events:us-east-1:444455556666:event-bus/security"}]},
          {"Name": "only-a-queue", "EventPattern": "{\"source\":[\"aws.s3\"]}",
           "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:eu-west-1:111122223333:archive"}]},
          {"Name": "no-targets", "EventPattern": "{\"source\":[\"aws.iam\"]}"}
        ]}
        """#

    @Test func targetARNsAreReadBesideTheRule() throws {
        let result = try load(Self.listRules)
        #expect(result.problems.isEmpty, "\(result.problems)")
        let targets = Dictionary(uniqueKeysWithValues: result.rules.map { ($0.name, $0.importedTargets) })
        #expect(targets["root-login"]?.count == 4)
        #expect(targets["kms-delete"] == ["arn:aws:events:us-east-1:444455556666:event-bus/security"])
        #expect(targets["no-targets"] == [])
    }

    @Test func snsEventBridgeAndLambdaTargetsBecomeSinksAndOthersAreNamed() throws {
        let (rules, notices) = ImportedTargets.apply(to: try load(Self.listRules).rules)
        let targets = Dictionary(uniqueKeysWithValues: rules.map { ($0.name, $0.targets) })
        #expect(targets["root-login"] == ["sns:arn:aws:sns:eu-west-1:111122223333:security-alerts",
                                          "lambda:arn:aws:lambda:eu-west-1:111122223333:function:respond:live"])
        #expect(targets["kms-delete"] == ["eventbridge:arn:aws:events:us-east-1:444455556666:event-bus/security"])
        #expect(targets["only-a-queue"] == .some(nil), "no sink for its only target: the default sinks")
        #expect(targets["no-targets"] == .some(nil))
        #expect(notices.count == 2)
        #expect(notices.allSatisfy { $0.contains("arn:aws:sqs:eu-west-1:111122223333:archive") && $0.contains("no sink sends there") })
        // Every sink made is one a configuration accepts as a target.
        let names = SinkNames(configured: [], configurationFile: nil)
        for target in rules.compactMap(\.targets).joined() {
            #expect(names.problem(with: target) == nil, "\(target)")
        }
    }
}

import Foundation
import Testing
import VigilTestSupport

/// `vigil replay --import-targets`: an imported rule's SNS target receives its alerts in place of
/// the default sinks; a target no sink sends to is named.
@Suite struct ImportTargetsCommandLineTests {
    static let topic = "arn:aws:sns:us-east-1:111122223333:security-alerts"

    @Test(.timeLimit(.minutes(1)))
    func anImportedRulesSNSTargetGetsItsAlerts() throws {
        let vigil = try VigilExecutable.url()
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("cloudtrail.jsonl")
        try Data(DeliveryFixtures.cloudTrailRecords(3).utf8).write(to: input)
        let rules = scratch.appendingPathComponent("rules.json")
        try Data(#"""
            {"Rules": [{"Name": "rds-calls", "EventPattern": "{\"source\":[\"aws.rds\"]}",
                        "Targets": [{"Id": "page", "Arn": "\#(Self.topic)"},
                                    {"Id": "archive", "Arn": "arn:aws:sqs:us-east-1:111122223333:archive"}]}]}
            """#.utf8).write(to: rules)
        let server = try FaultInjectingServer { _ in
            .status(200, headers: ["Content-Type": "text/xml"],
                    body: "<PublishResponse><PublishResult><MessageId>m</MessageId></PublishResult></PublishResponse>")
        }
        defer { server.stop() }
        let environment = MotoServer.credentialsEnvironment.merging(["AWS_ENDPOINT_URL": server.endpoint]) { $1 }
        func replay(_ extra: [String], label: String) throws -> VigilProcess {
            let run = try VigilProcess(vigil, ["replay", "--rules", rules.path, "--state", scratch.appendingPathComponent(label).path,
                                               "--output", "json"] + extra + [input.path],
                                       outputIn: scratch, label: label, environment: environment)
            #expect(run.waitForExit(within: 30) == 0, "\(run.errorOutput)")
            return run
        }

        let plain = try replay([], label: "plain")
        #expect(try String(contentsOf: plain.standardOutput, encoding: .utf8).split(separator: "\n").count == 3,
                "without --import-targets the default sink, stdout, gets the alerts")
        #expect(server.requests.isEmpty)

        let imported = try replay(["--import-targets"], label: "imported")
        #expect(try String(contentsOf: imported.standardOutput, encoding: .utf8).isEmpty, "the topic instead of the default sinks")
        #expect(server.requests.count == 3)
        #expect(server.requests.allSatisfy { $0.bodyText.contains("TopicArn=" + Self.topic.replacingOccurrences(of: ":", with: "%3A")) })
        #expect(imported.errorOutput.contains("note: rule rds-calls: target arn:aws:sqs:us-east-1:111122223333:archive"))
    }
}

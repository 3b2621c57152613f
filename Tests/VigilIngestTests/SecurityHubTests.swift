import Foundation
import Testing
@testable import VigilIngest

/// Security Hub findings (ASFF): recognized beside GuardDuty's in every container, and normalized
/// as EventBridge's `Security Hub Findings - Imported` (ARCHITECTURE.md's envelope table).
@Suite("Security Hub findings")
struct SecurityHubTests {
    static func controlFindingText() throws -> String {
        try String(contentsOf: FixtureFiles.url("securityhub/get-findings-rds-public-access.json"), encoding: .utf8)
    }

    static func decoyLines() throws -> [String] {
        try String(contentsOf: FixtureFiles.url("securityhub/panther-decoy-findings.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
    }

    @Test("get-findings output: each finding becomes a Security Hub event with EventBridge's envelope")
    func getFindingsOutput() throws {
        let result = Harness.read(try Self.controlFindingText(), name: "get-findings.json")
        #expect(result.problems.isEmpty)
        #expect(result.kinds == [.securityHubFinding])
        let normalized = Harness.normalize(result.records, path: "get-findings.json")
        #expect(normalized.refused.isEmpty)
        let event = try #require(normalized.envelopes.first)
        #expect(event["source"] == "aws.securityhub")
        #expect(event["detail-type"] == "Security Hub Findings - Imported")
        #expect(event["account"] == "111122223333")
        #expect(event["region"] == "us-east-1")
        // Whole seconds in UTC, as EventBridge writes `time`.
        #expect(event["time"] == "2026-11-20T09:52:41Z")
        let id = "arn:aws:securityhub:us-east-1:111122223333:security-control/RDS.2/finding/5f0d7e7c-3b6e-4c55-9d51-0d6a7e3c1a42"
        #expect(event.object["resources"] as? [String] == [id])
        #expect(event.identity == id + "@2026-11-20T09:52:41.113Z")
        let findings = try #require(event.detail?["findings"] as? [[String: Any]])
        #expect(findings.count == 1)
        #expect(findings.first?["GeneratorId"] as? String == "security-control/RDS.2")
        #expect((findings.first?["Compliance"] as? [String: Any])?["Status"] as? String == "FAILED")
    }

    @Test("JSON Lines and a bare array of findings; a finding updated is another event")
    func linesAndArrays() throws {
        let lines = try Self.decoyLines()
        let fromLines = Harness.read(lines.joined(separator: "\n") + "\n")
        #expect(fromLines.problems.isEmpty)
        #expect(fromLines.kinds == Array(repeating: .securityHubFinding, count: lines.count))
        let fromArray = Harness.read("[\n" + lines.joined(separator: ",\n") + "\n]")
        #expect(fromArray.problems.isEmpty)
        #expect(fromArray.records.map(\.text) == fromLines.records.map(\.text))
        let normalized = Harness.normalize(fromLines.records, path: "findings.jsonl")
        #expect(normalized.refused.isEmpty)
        // Panther's findings write UpdatedAt with a space and nanoseconds: still a time.
        #expect(normalized.envelopes.first?["time"] == "2024-05-24T13:17:15Z")
        // One event id per finding update (Id and UpdatedAt), however the rest of it differs:
        // Panther's pairs share both and differ elsewhere.
        let updates = Set(try lines.map { line -> String in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return "\(object["Id"] ?? "")@\(object["UpdatedAt"] ?? "")"
        })
        #expect(updates.count == 5)
        #expect(Set(normalized.envelopes.map { $0["id"] ?? "" }).count == updates.count)
        #expect(Set(normalized.envelopes.map(\.identity)) == updates)
    }

    @Test("GuardDuty's own get-findings output stays GuardDuty, Security Hub's becomes Security Hub")
    func toldApartFromGuardDuty() throws {
        let control = try Self.controlFindingText()
        let controlObject = try #require(try JSONSerialization.jsonObject(with: Data(control.utf8)) as? [String: Any])
        let finding = try JSONSerialization.data(withJSONObject: (controlObject["Findings"] as! [Any])[0])
        let mixed = #"{"Findings":["# + Fixture.finding(1) + "," + String(decoding: finding, as: UTF8.self) + "]}"
        let result = Harness.read(mixed)
        #expect(result.problems.isEmpty)
        #expect(result.kinds == [.guardDutyFinding, .securityHubFinding])
    }

    @Test("Firehose's S3 files of EventBridge events, written back to back without separators, pass through")
    func firehoseEvents() throws {
        let control = try Self.controlFindingText()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(control.utf8)) as? [String: Any])
        let finding = (object["Findings"] as! [Any])[0]
        let event: [String: Any] = ["version": "0", "id": "8e5622f9-d81c-4d81-612a-9319e7ee2506",
                                    "detail-type": "Security Hub Findings - Imported", "source": "aws.securityhub",
                                    "account": "111122223333", "time": "2026-11-20T09:52:45Z", "region": "us-east-1",
                                    "resources": ["arn:aws:securityhub:us-east-1:111122223333:security-control/RDS.2"],
                                    "detail": ["findings": [finding]]]
        let one = String(decoding: try JSONSerialization.data(withJSONObject: event), as: UTF8.self)
        let result = Harness.read(Harness.gzip(Array((one + one + one).utf8)))
        #expect(result.problems.isEmpty)
        #expect(result.kinds == [.eventBridgeEvent, .eventBridgeEvent, .eventBridgeEvent])
    }

    @Test("A finding without Region takes the one its ProductArn names")
    func regionFromProductARN() throws {
        let text = #"{"SchemaVersion":"2018-10-08","Id":"f-1","ProductArn":"arn:aws:securityhub:eu-west-3::product/aws/macie","#
            + #""AwsAccountId":"111122223333","UpdatedAt":"2026-11-20T10:00:00Z","Resources":[]}"#
        let event = try Harness.envelope(.securityHubFinding, text)
        #expect(event["region"] == "eu-west-3")
    }

    @Test("Damaged findings are refused with a reason; their neighbours are read")
    func damaged() throws {
        let base = #""SchemaVersion":"2018-10-08","ProductArn":"arn:aws:securityhub:us-east-1::product/aws/securityhub","AwsAccountId":"1""#
        let noID = "{" + base + #","UpdatedAt":"2026-11-20T10:00:00Z"}"#
        let noTime = "{" + base + #","Id":"x"}"#
        let badTime = "{" + base + #","Id":"x","UpdatedAt":"99999-99-99T99:99:99Z"}"#
        let good = "{" + base + #","Id":"y","UpdatedAt":"2026-11-20T10:00:00Z"}"#
        let result = Harness.read([noID, noTime, badTime, good, #"{"SchemaVersion":"2018-10-08","ProductArn":"#].joined(separator: "\n"))
        #expect(result.kinds == Array(repeating: .securityHubFinding, count: 4))
        #expect(result.problems.count == 1)
        let normalized = Harness.normalize(result.records, path: "findings.jsonl")
        #expect(normalized.envelopes.map { $0.identity } == ["y@2026-11-20T10:00:00Z"])
        #expect(normalized.refused.map(\.problem.reason) == [
            "A Security Hub finding without Id",
            "A Security Hub finding without UpdatedAt",
            "A Security Hub finding whose UpdatedAt is not a date and time",
        ])
    }
}

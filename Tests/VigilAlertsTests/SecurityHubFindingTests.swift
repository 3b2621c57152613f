import Foundation
import Testing
@testable import VigilAlerts

/// Alerts as ASFF findings: the fields `BatchImportFindings` requires, provenance, and hostile
/// text kept inside its JSON strings.
@Suite struct SecurityHubFindingTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    func finding(_ alert: Alert, region: String = "eu-west-1") throws -> [String: Any] {
        let line = Array(alert.line.dropLast())
        let bytes = try #require(SecurityHubFinding.make(alert: line, account: "444455556666", region: region, now: Self.now))
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func aFindingHasEveryRequiredFieldAndTheAlertsProvenance() throws {
        let alert = AWSSinkFixtures.alert(7, severity: .critical)
        let finding = try finding(alert)
        #expect(finding["SchemaVersion"] as? String == "2018-10-08")
        #expect(finding["Id"] as? String == alert.id)
        #expect(finding["ProductArn"] as? String == "arn:aws:securityhub:eu-west-1:444455556666:product/444455556666/default")
        #expect(finding["GeneratorId"] as? String == "vigil/iam-root-login")
        #expect(finding["AwsAccountId"] as? String == "444455556666")
        #expect(finding["Types"] as? [String] == ["Unusual Behaviors/Vigil/iam-root-login"])
        #expect(finding["CreatedAt"] as? String == "2026-11-20T09:00:07Z")
        #expect(finding["FirstObservedAt"] as? String == "2026-11-20T09:00:07Z")
        #expect(finding["UpdatedAt"] as? String == Self.now.formatted(Date.ISO8601FormatStyle()))
        #expect(finding["Severity"] as? [String: String] == ["Label": "CRITICAL"])
        #expect(finding["Title"] as? String == "Vigil: iam-root-login")
        #expect((finding["Description"] as? String)?.contains("AWS Console Sign In via CloudTrail from aws.signin in account 111122223333") == true)
        #expect(finding["Resources"] as? [[String: String]] == [["Type": "Other", "Id": "arn:aws:iam::111122223333:user/u7"]])
        let fields = try #require(finding["ProductFields"] as? [String: String])
        #expect(fields["vigil/rule"] == "iam-root-login" && fields["vigil/alertId"] == alert.id)
        #expect(fields["vigil/source/file"] == "AWSLogs/111122223333/CloudTrail/us-east-1/trail.json.gz")
        #expect(fields["vigil/source/record"] == "7" && fields["vigil/event/id"] == "e-7")
        #expect(fields["vigil/event/account"] == "111122223333" && fields["vigil/event/region"] == "us-east-1")
    }

    @Test(arguments: [(Severity.info, "INFORMATIONAL"), (.low, "LOW"), (.medium, "MEDIUM"), (.high, "HIGH"), (.critical, "CRITICAL")])
    func severitiesMapOntoASFFLabels(severity: Severity, label: String) throws {
        #expect((try finding(AWSSinkFixtures.alert(1, severity: severity))["Severity"] as? [String: String])?["Label"] == label)
    }

    @Test func anEventWithoutResourcesNamesItsAccountAndTheChinaPartitionIsUsedThere() throws {
        let line = #"{"id":"abc","rule":"r","severity":"low","time":"2026-11-20T09:00:00Z","source":{"file":"f","record":0},"event":{"account":"111122223333","resources":[]}}"#
        let alert = Alert(id: "abc", rule: "r", severity: .low, line: Array(line.utf8) + [0x0A])
        let finding = try finding(alert, region: "cn-north-1")
        #expect(finding["Resources"] as? [[String: String]] == [["Type": "AwsAccount", "Id": "AWS::::Account:111122223333"]])
        #expect((finding["ProductArn"] as? String)?.hasPrefix("arn:aws-cn:securityhub:cn-north-1:") == true)
    }

    @Test func hostileTextStaysInsideItsStringsAndLongValuesAreClipped() throws {
        let file = String(repeating: "d/", count: 1_500) + "x\"},\"Id\":\"forged"
        let line = #"{"id":"abc","rule":"r","severity":"low","time":"2026-11-20T09:00:00Z","source":{"file":\#(quoted(file)),"record":1},"event":{"detail-type":"x\"\n<script>","account":"1","resources":["arn:aws:s3:::b\",\"Id\":\"evil"]}}"#
        let alert = Alert(id: "abc", rule: "r", severity: .low, line: Array(line.utf8) + [0x0A])
        let finding = try finding(alert)
        #expect(finding["Id"] as? String == "abc")
        #expect((finding["Resources"] as? [[String: String]])?.first?["Id"] == "arn:aws:s3:::b\",\"Id\":\"evil")
        let recorded = try #require((finding["ProductFields"] as? [String: String])?["vigil/source/file"])
        #expect(recorded.count == 2_048 && recorded.hasSuffix("x\"},\"Id\":\"forged"), "the end of a long path, the file name, is kept")
    }

    @Test func somethingThatIsNotAnAlertMakesNoFinding() {
        #expect(SecurityHubFinding.make(alert: Array("not json".utf8), account: "1", region: "us-east-1", now: Self.now) == nil)
        #expect(SecurityHubFinding.make(alert: Array(#"{"rule":"r"}"#.utf8), account: "1", region: "us-east-1", now: Self.now) == nil)
    }

    private func quoted(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast().description
    }
}

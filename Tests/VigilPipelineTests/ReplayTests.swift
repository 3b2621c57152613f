import Foundation
import Testing
import VigilAlerts
import VigilIngest
import VigilPipeline

@Suite("Replay of the shipped SampleLogs with the shipped Rules")
struct SampleReplayTests {
    /// The incident story of SampleLogs/README.md, as alerts per rule.
    /// Rules with threshold or dedup count alerts after them (Scripts/make-sample-logs.py, EXPECTED_ALERTS):
    /// the 25 probes give one alert, the 12 accepted flow records one, the two root events one.
    static let expectedAlerts: [String: Int] = [
        "vpc-flow-rejected-db-port-from-internet": 1,
        "console-login-repeated-failures": 1,
        "cloudtrail-logging-stopped": 1,
        "vpc-flow-logs-deleted": 1,
        "security-group-open-to-world-on-db-port": 1,
        "vpc-flow-accepted-db-port-from-internet": 1,
        "rds-snapshot-shared-publicly": 1,
        "guardduty-rds-anomalous-login": 1,
        "console-login-without-mfa": 1,
        "root-account-activity": 1,
        "securityhub-rds-control-failed": 1,
        "db-audit-failed-logins-burst": 1,
        "db-audit-login-from-unexpected-network": 1,
        "db-audit-audit-logging-disabled-in-session": 1,
        "db-audit-sensitive-table-read": 1,
        "db-audit-bulk-export": 1,
        // AWS Config: drift the day before (orders-db public and unencrypted), the security group
        // opened, the snapshot shared (and unencrypted: its three items, deduplicated per resource).
        "config-rds-instance-publicly-accessible": 1,
        "config-rds-storage-not-encrypted": 1,
        "config-security-group-open-to-internet-on-db-port": 1,
        "config-rds-snapshot-public": 1,
        "config-rds-snapshot-not-encrypted": 1,
    ]

    /// The alerts a replay of SampleLogs gives, every rule together.
    static var alertCount: Int { expectedAlerts.values.reduce(0, +) }

    /// The rules whose alerts are on database audit events: Firehose's payloads carry the account
    /// but no region, so their events' region is empty.
    static let auditRules: Set<String> = Set(expectedAlerts.keys.filter { $0.hasPrefix("db-audit-") })

    @Test func raisesTheIncidentsAlertsAndNothingElse() throws {
        let outcome = try PipelineFixtures.replay([PipelineFixtures.sampleLogs])
        #expect(outcome.summary.alertsByRule == Self.expectedAlerts)
        #expect(outcome.alerts.count == Self.expectedAlerts.values.reduce(0, +))
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
        #expect(outcome.summary.problemCount == 0)
        #expect(outcome.summary.skipped[.cloudTrailDigest] == 1)
        #expect(outcome.summary.filesSkipped == [
            "documentation": 1,
            "elasticloadbalancing logs, a service Vigil does not read": 1,
        ])
        // One CloudTrail record is delivered in two files, as AWS may; it is alerted once.
        #expect(outcome.summary.duplicateAlerts == 1)
        #expect(outcome.summary.eventsByKind[.cloudTrail] == 52)
        #expect(outcome.summary.eventsByKind[.flowLog] == 278)
        #expect(outcome.summary.eventsByKind[.guardDutyFinding] == 4)
        #expect(outcome.summary.eventsByKind[.securityHubFinding] == 3)
        #expect(outcome.summary.eventsByKind[.databaseAudit] == 130)
        #expect(outcome.summary.eventsByKind[.config] == 6)
    }

    @Test func alertsHaveTheDesignedShapeAndStableIDs() throws {
        let first = try PipelineFixtures.replay([PipelineFixtures.sampleLogs])
        let second = try PipelineFixtures.replay([PipelineFixtures.sampleLogs])
        #expect(first.lines == second.lines, "the same input gives the same alerts, byte for byte")
        var ids = Set<String>()
        for alert in first.alerts {
            // A threshold alert also says what reached the threshold.
            #expect(Set(alert.keys).subtracting(["threshold"]) == ["id", "rule", "severity", "time", "source", "event"])
            let id = try #require(alert["id"] as? String)
            #expect(id.count == 32 && id.allSatisfy(\.isHexDigit))
            #expect(ids.insert(id).inserted, "alert ids are unique")
            let source = try #require(alert["source"] as? [String: Any])
            #expect((source["file"] as? String)?.hasPrefix(PipelineFixtures.sampleLogs) == true)
            #expect(source["record"] is Int)
            let event = try #require(alert["event"] as? [String: Any])
            for key in ["version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"] {
                #expect(event[key] != nil, "envelope key \(key)")
            }
            #expect(event["account"] as? String == "111122223333")
            let isAudit = Self.auditRules.contains(alert["rule"] as? String ?? "")
            #expect(event["region"] as? String == (isAudit ? "" : "us-east-1"))
            #expect(alert["time"] as? String == event["time"] as? String)
        }
    }

    @Test func timeRangeLimitsEventsAndSkipsWholeFiles() throws {
        let from = Timestamps.parse("2026-11-20T09:20:00Z")!
        let to = Timestamps.parse("2026-11-20T09:40:00Z")!
        let outcome = try PipelineFixtures.replay([PipelineFixtures.sampleLogs], filter: EventFilter(from: from, to: to))
        // The probes (09:05–09:10) are before the range; the story's API calls are inside it.
        #expect(outcome.summary.alertsByRule["vpc-flow-rejected-db-port-from-internet"] == nil)
        #expect(outcome.summary.alertsByRule["rds-snapshot-shared-publicly"] == 1)
        #expect(outcome.summary.alertsByRule["cloudtrail-logging-stopped"] == 1)
        for alert in outcome.alerts {
            let time = Timestamps.parse(alert["time"] as! String)!
            #expect(time >= from && time <= to)
        }
        #expect((outcome.summary.dropped[.outsideTimeRange] ?? 0) > 0)
        // Files delivered before --from (with an hour of clock skew) are not even opened.
        let early = try PipelineFixtures.replay([PipelineFixtures.sampleLogs],
                                                filter: EventFilter(from: Timestamps.parse("2026-11-20T11:30:00Z")!))
        #expect((early.summary.filesSkipped["before --from"] ?? 0) >= 10)
        #expect(early.alerts.isEmpty)
    }

    @Test func accountAndRegionSelectEvents() throws {
        let other = try PipelineFixtures.replay([PipelineFixtures.sampleLogs], filter: EventFilter(accounts: ["999999999999"]))
        #expect(other.alerts.isEmpty)
        #expect(other.summary.filesSkipped["another account"] == 16)
        let region = try PipelineFixtures.replay([PipelineFixtures.sampleLogs], filter: EventFilter(regions: ["eu-west-1"]))
        #expect(region.alerts.isEmpty)
        let same = try PipelineFixtures.replay([PipelineFixtures.sampleLogs],
                                               filter: EventFilter(accounts: ["111122223333"], regions: ["us-east-1"]))
        // The audit events have no region (their payloads do not say): --region leaves them out.
        #expect(same.summary.alertsByRule == SampleReplayTests.expectedAlerts.filter { !SampleReplayTests.auditRules.contains($0.key) })
        let account = try PipelineFixtures.replay([PipelineFixtures.sampleLogs], filter: EventFilter(accounts: ["111122223333"]))
        #expect(account.summary.alertsByRule == SampleReplayTests.expectedAlerts)
    }
}

@Suite("Replay with bad input")
struct BadInputReplayTests {
    @Test func aDamagedFileIsReportedAndTheOthersStillAlert() throws {
        let directory = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A copy of the samples plus a truncated gzip, a corrupt gzip and files of unknown format.
        let copy = directory.appendingPathComponent("logs")
        try FileManager.default.copyItem(atPath: PipelineFixtures.sampleLogs, toPath: copy.path)
        let cloudTrail = try FileManager.default.subpathsOfDirectory(atPath: copy.path)
            .filter { $0.contains("/CloudTrail/") && $0.hasSuffix(".json.gz") }.sorted()
        let victim = copy.appendingPathComponent(cloudTrail[0])
        let bytes = try Data(contentsOf: victim)
        try bytes.prefix(bytes.count / 2).write(to: copy.appendingPathComponent("truncated.json.gz"))
        var corrupt = bytes
        corrupt[corrupt.count / 2] ^= 0xFF
        try corrupt.write(to: copy.appendingPathComponent("corrupt.json.gz"))
        try Data("this is not a log\n".utf8).write(to: copy.appendingPathComponent("notes.txt"))
        try Data().write(to: copy.appendingPathComponent("empty.json"))

        let outcome = try PipelineFixtures.replay([copy.path])
        #expect(outcome.summary.alertsByRule == SampleReplayTests.expectedAlerts)
        #expect(outcome.summary.problems[.corruptCompression] == 2)
        #expect(outcome.summary.problems[.unknownFormat] == 1)
        #expect(outcome.summary.skipped[.emptyFile] == 1)
        for problem in outcome.problems {
            #expect(!problem.path.isEmpty)
            if problem.kind == .corruptCompression { #expect(problem.offset != nil && problem.offsetSpace == .file) }
        }
    }

    @Test func aMissingPathIsReported() throws {
        let outcome = try PipelineFixtures.replay(["/nonexistent/vigil-logs"])
        #expect(outcome.summary.problems[.unreadable] == 1)
        #expect(outcome.problems.first?.path == "/nonexistent/vigil-logs")
    }

    @Test func aMalformedRecordIsSkippedAndItsNeighboursMatch() throws {
        let directory = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("events.jsonl")
        let good = #"{"eventVersion":"1.08","eventTime":"2026-11-20T09:34:12Z","eventSource":"rds.amazonaws.com","eventName":"ModifyDBSnapshotAttribute","awsRegion":"us-east-1","eventID":"EID","eventType":"AwsApiCall","recipientAccountId":"111122223333","requestParameters":{"dBSnapshotIdentifier":"s","attributeName":"restore","valuesToAdd":["all"]}}"#
        let lines = [good.replacingOccurrences(of: "EID", with: "a1"), #"{"eventVersion": oops}"#,
                     good.replacingOccurrences(of: "EID", with: "a2")]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
        let outcome = try PipelineFixtures.replay([file.path])
        #expect(outcome.summary.alertsByRule["rds-snapshot-shared-publicly"] == 2)
        #expect(outcome.summary.problems[.malformedRecord] == 1)
        #expect(outcome.problems.first?.record == 1)
    }

    @Test func oneEventIDInTwoAccountsIsTwoEventsAndARepeatIsOne() throws {
        let directory = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let share = #"{"eventVersion":"1.08","eventTime":"2026-11-20T09:34:12Z","eventSource":"rds.amazonaws.com","eventName":"ModifyDBSnapshotAttribute","awsRegion":"us-east-1","eventID":"same-event-id","eventType":"AwsApiCall","recipientAccountId":"ACCOUNT","requestParameters":{"dBSnapshotIdentifier":"s","attributeName":"restore","valuesToAdd":["all"]}}"#
        let first = share.replacingOccurrences(of: "ACCOUNT", with: "111122223333")
        let second = share.replacingOccurrences(of: "ACCOUNT", with: "444455556666")
        // The second account's record delivered twice, as AWS may: that repeat is the only one.
        let file = directory.appendingPathComponent("events.jsonl")
        try Data([first, second, second].map { $0 + "\n" }.joined().utf8).write(to: file)
        let outcome = try PipelineFixtures.replay([file.path])
        #expect(outcome.summary.alertsByRule["rds-snapshot-shared-publicly"] == 2)
        #expect(outcome.summary.duplicateAlerts == 1)
        let events = outcome.alerts.compactMap { $0["event"] as? [String: Any] }
        #expect(events.compactMap { $0["account"] as? String } == ["111122223333", "444455556666"])
        #expect(Set(events.compactMap { $0["id"] as? String }).count == 2, "two events, two event ids")
        #expect(Set(outcome.alerts.compactMap { $0["id"] as? String }).count == 2)
    }
}

import Foundation
import Testing
import VigilAlerts
import VigilIngest
import VigilPipeline

@Suite("Replay of the shipped SampleLogs with the shipped Rules")
struct SampleReplayTests {
    /// The incident story of SampleLogs/README.md, as alerts per rule.
    static let expectedAlerts: [String: Int] = [
        "cloudtrail-logging-stopped": 1,
        "security-group-open-to-world-on-db-port": 1,
        "rds-snapshot-shared-publicly": 1,
        "guardduty-rds-anomalous-login": 1,
        "vpc-flow-rejected-db-port-from-internet": 25,
        "vpc-flow-accepted-db-port-from-internet": 12,
    ]

    @Test func raisesTheIncidentsAlertsAndNothingElse() throws {
        let outcome = try PipelineFixtures.replay([PipelineFixtures.sampleLogs])
        #expect(outcome.summary.alertsByRule == Self.expectedAlerts)
        #expect(outcome.alerts.count == Self.expectedAlerts.values.reduce(0, +))
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
        #expect(outcome.summary.problemCount == 0)
        #expect(outcome.summary.skipped[.cloudTrailDigest] == 1)
        #expect(outcome.summary.filesSkipped["documentation"] == 1)
        // One CloudTrail record is delivered in two files, as AWS may; it is alerted once.
        #expect(outcome.summary.duplicateAlerts == 1)
        #expect(outcome.summary.eventsByKind[.cloudTrail] == 41)
        #expect(outcome.summary.eventsByKind[.flowLog] == 278)
        #expect(outcome.summary.eventsByKind[.guardDutyFinding] == 4)
    }

    @Test func alertsHaveTheDesignedShapeAndStableIDs() throws {
        let first = try PipelineFixtures.replay([PipelineFixtures.sampleLogs])
        let second = try PipelineFixtures.replay([PipelineFixtures.sampleLogs])
        #expect(first.lines == second.lines, "the same input gives the same alerts, byte for byte")
        var ids = Set<String>()
        for alert in first.alerts {
            #expect(Set(alert.keys) == ["id", "rule", "severity", "time", "source", "event"])
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
            #expect(event["region"] as? String == "us-east-1")
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
        #expect(other.summary.filesSkipped["another account"] == 13)
        let region = try PipelineFixtures.replay([PipelineFixtures.sampleLogs], filter: EventFilter(regions: ["eu-west-1"]))
        #expect(region.alerts.isEmpty)
        let same = try PipelineFixtures.replay([PipelineFixtures.sampleLogs],
                                               filter: EventFilter(accounts: ["111122223333"], regions: ["us-east-1"]))
        #expect(same.summary.alertsByRule == SampleReplayTests.expectedAlerts)
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
}

@Suite("Rule files")
struct RuleLoaderTests {
    func load(_ text: String, name: String = "rule.json") throws -> RuleLoader.Result {
        let directory = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return RuleLoader.load(paths: [file.path])
    }

    @Test func theShippedRulesLoad() {
        let loaded = RuleLoader.load(paths: [PipelineFixtures.rules])
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        #expect(loaded.rules.count >= 10)
    }

    @Test func anInvalidPatternIsRefusedWithEventRulersWords() throws {
        let result = try load(#"{"name":"r1","severity":"high","eventPattern":{"detail":{"x":[{"wildcard":"a**b"}]}}}"#)
        #expect(result.rules.isEmpty)
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.rule == "r1")
        #expect(result.problems.first?.reason.contains("Consecutive wildcard characters at pos 2") == true)
    }

    @Test func aPatternGivenAsAStringIsAccepted() throws {
        let result = try load(#"{"name":"r1","severity":"low","eventPattern":"{\"source\":[\"aws.rds\"]}"}"#)
        #expect(result.problems.isEmpty)
        #expect(result.rules.first?.name == "r1")
    }

    @Test func everyProblemIsListed() throws {
        let result = try load(#"""
            [{"name":"dup","severity":"high","eventPattern":{"source":["a"]}},
             {"name":"dup","severity":"high","eventPattern":{"source":["a"]}},
             {"name":"bad name!","severity":"urgent","eventPattern":{"source":["a"]},"colour":"red"},
             {"severity":"low"}]
            """#)
        let reasons = result.problems.map(\.reason)
        #expect(reasons.contains { $0.contains("Duplicate rule name") })
        #expect(reasons.contains { $0.contains("The name must be") })
        #expect(reasons.contains { $0.contains("\"severity\" must be one of") })
        #expect(reasons.contains { $0.contains("Unknown key \"colour\"") })
        #expect(reasons.contains { $0.contains("A rule needs a \"name\"") })
        #expect(reasons.contains { $0.contains("A rule needs an \"eventPattern\"") })
    }

    @Test func badJSONIsReportedWithLineAndColumn() throws {
        let result = try load("{\n  \"name\": \"r\",\n  \"severity\": high\n}")
        #expect(result.problems.first?.line == 3)
        #expect(result.problems.first?.column == 15)
    }

    @Test func featuresNotBuiltYetAreRefusedNotIgnored() throws {
        let result = try load(#"{"name":"t","severity":"low","eventPattern":{"source":["a"]},"threshold":{"count":5}}"#)
        #expect(result.rules.isEmpty)
        #expect(result.problems.first?.reason.contains("not supported yet") == true)
    }
}

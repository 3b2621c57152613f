import Foundation
import Testing
import VigilAlerts
import VigilIngest
@testable import VigilPipeline

@Suite("vigil hunt: matching events of an archive, in file order")
struct HuntTests {
    struct Found {
        var lines: [String]
        var outcome: Hunt.Outcome
        var problems: [InputProblem]

        var events: [[String: Any]] {
            lines.map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        }
    }

    static func hunt(_ paths: [String], pattern: String? = nil, pivots: [Pivot] = [], jobs: Int = 1, limit: Int? = nil,
                     format: any HuntFormat = HuntEventLines()) throws -> Found {
        let query = try HuntQuery(pattern: pattern.map { Array($0.utf8) }, pivots: pivots)
        var options = Replay.Options(paths: paths)
        options.jobs = jobs
        var format = format
        var output: [UInt8] = []
        var problems: [InputProblem] = []
        let outcome = Hunt(query: query, options: options, limit: limit).run(onMatch: { format.append($0, to: &output) },
                                                                             onProblem: { problems.append($0) })
        format.finish(to: &output)
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
        return Found(lines: lines, outcome: outcome, problems: problems)
    }

    /// The normalized events of SampleLogs (repeats included), as objects.
    static func sampleEvents() -> [[String: Any]] {
        var lines: [[UInt8]] = []
        _ = Normalization(paths: [PipelineFixtures.sampleLogs]).run(onEvent: { lines.append($0) }, onProblem: { _ in })
        return lines.map { try! JSONSerialization.jsonObject(with: Data($0)) as! [String: Any] }
    }

    /// Every string anywhere in `value`.
    static func strings(in value: Any) -> [String] {
        switch value {
        case let text as String: [text]
        case let object as [String: Any]: object.values.flatMap(strings)
        case let array as [Any]: array.flatMap(strings)
        default: []
        }
    }

    @Test func ipFindsEveryEventOfEverySourceThatCarriesTheAddressAndNothingElse() throws {
        let found = try Self.hunt([PipelineFixtures.sampleLogs], pivots: [try Pivot(.ip, values: ["198.51.100.23"])])
        #expect(found.problems.isEmpty)
        let huntedIDs = Set(found.events.map { ($0["event"] as! [String: Any])["id"] as! String })
        // Every event that holds the address as a whole value, anywhere.
        let carrying = Self.sampleEvents().filter { Self.strings(in: $0["detail"]!).contains("198.51.100.23") }
        let carryingIDs = Set(carrying.map { $0["id"] as! String })
        #expect(huntedIDs == carryingIDs, "missing: \(carryingIDs.subtracting(huntedIDs)), extra: \(huntedIDs.subtracting(carryingIDs))")
        let sources = Set(found.events.map { ($0["event"] as! [String: Any])["source"] as! String })
        #expect(sources.isSuperset(of: ["aws.vpcflowlogs", "aws.signin", "aws.sts", "aws.guardduty"]), "\(sources)")
        #expect(found.lines.count == huntedIDs.count, "each event once, though StopLogging was delivered twice")
        #expect(found.outcome.repeats == 1)
    }

    @Test func linesHaveTheAlertShapeWithoutIdRuleAndSeverity() throws {
        let found = try Self.hunt([PipelineFixtures.sampleLogs], pattern: #"{"detail":{"eventName":["StopLogging"]}}"#)
        #expect(found.lines.count == 1)
        let line = try #require(found.events.first)
        #expect(Set(line.keys) == ["time", "source", "event"])
        let source = try #require(line["source"] as? [String: Any])
        #expect((source["file"] as? String)?.hasSuffix("HtWk6yZXUYsXXAxj.json.gz") == true)
        #expect(source["record"] is Int)
        #expect(line["time"] as? String == "2026-11-20T09:23:48Z")
        #expect((line["event"] as? [String: Any])?["detail-type"] as? String == "AWS API Call via CloudTrail")
        #expect(found.outcome.matches == 1 && found.outcome.repeats == 1)
    }

    @Test func severalThreadsGiveTheSameLinesInTheSameOrder() throws {
        let pivots = [try Pivot(.ip, values: ["198.51.100.0/24", "203.0.113.10"])]
        let one = try Self.hunt([PipelineFixtures.sampleLogs], pivots: pivots, jobs: 1)
        let four = try Self.hunt([PipelineFixtures.sampleLogs], pivots: pivots, jobs: 4)
        #expect(one.lines.count > 50)
        #expect(one.lines == four.lines)
    }

    @Test func aPivotAndAPatternCombineWithAnd() throws {
        let found = try Self.hunt([PipelineFixtures.sampleLogs], pattern: #"{"source":["aws.vpcflowlogs"],"detail":{"action":["ACCEPT"]}}"#,
                                  pivots: [try Pivot(.ip, values: ["198.51.100.23"])])
        #expect(!found.lines.isEmpty)
        for event in found.events.map({ $0["event"] as! [String: Any] }) {
            let detail = event["detail"] as! [String: Any]
            #expect(detail["action"] as? String == "ACCEPT")
            #expect(detail["srcaddr"] as? String == "198.51.100.23" || detail["dstaddr"] as? String == "198.51.100.23")
        }
    }

    @Test func principalFindsTheLeakedKeysCallsAndTheFinding() throws {
        let found = try Self.hunt([PipelineFixtures.sampleLogs], pivots: [try Pivot(.principal, values: ["ci-deploy"])])
        let events = found.events.map { $0["event"] as! [String: Any] }
        #expect(events.contains { $0["source"] as? String == "aws.guardduty" })
        let calls = events.compactMap { ($0["detail"] as? [String: Any])?["eventName"] as? String }
        for name in ["GetCallerIdentity", "GetSecretValue", "StopLogging", "ModifyDBSnapshotAttribute"] {
            #expect(calls.contains(name), "\(name) in \(calls)")
        }
    }

    @Test func countsBySourceAndDetailType() throws {
        let found = try Self.hunt([PipelineFixtures.sampleLogs], pivots: [try Pivot(.ip, values: ["198.51.100.23"])])
        let counted = try Self.hunt([PipelineFixtures.sampleLogs], pivots: [try Pivot(.ip, values: ["198.51.100.23"])],
                                    format: HuntCounts())
        #expect(counted.lines.last == "\(found.lines.count)\ttotal")
        let rows = counted.lines.dropLast().map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.allSatisfy { $0.count == 3 })
        #expect(rows.first?[1] == "aws.vpcflowlogs" && rows.first?[2] == "VPC Flow Log Record", "the most first")
        #expect(rows.map { Int($0[0])! }.reduce(0, +) == found.lines.count)
    }

    // MARK: --limit

    /// `count` CloudTrail records, each a StopLogging call, as one gzipped `{"Records":[…]}` file.
    static func writeCloudTrailFile(_ url: URL, first: Int, count: Int) throws {
        var text = #"{"Records":["#
        for index in first..<(first + count) {
            if index > first { text += "," }
            text += #"{"eventVersion":"1.08","eventTime":"2026-11-20T10:00:00Z","eventSource":"cloudtrail.amazonaws.com","#
                + #""eventName":"StopLogging","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.\#(index % 200)","#
                + #""eventID":"limit-\#(index)","eventType":"AwsApiCall","recipientAccountId":"111122223333","#
                + #""requestParameters":{"name":"\#(String(repeating: "x", count: 200))"}}"#
        }
        text += "]}"
        try Data(TailRun.gzip(Array(text.utf8))).write(to: url)
    }

    @Test(arguments: [1, 2])
    func aLimitStopsTheReadingNotJustThePrinting(jobs: Int) throws {
        let directory = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let perFile = 20_000
        for number in 0..<4 {
            try Self.writeCloudTrailFile(directory.appendingPathComponent("trail-\(number).json.gz"), first: number * perFile, count: perFile)
        }
        // One record in 200 matches: fewer matches per file than a batch holds, so a reader that
        // handed matches over only in full batches would read the whole file before the hunt
        // could see its first match.
        let rare = [try Pivot(.ip, values: ["198.51.100.0"])]
        let all = try Self.hunt([directory.path], pivots: rare, jobs: jobs)
        #expect(all.outcome.matches == 4 * perFile / 200)
        let limited = try Self.hunt([directory.path], pivots: rare, jobs: jobs, limit: 3)
        #expect(limited.lines.count == 3)
        #expect(limited.outcome.reachedLimit)
        #expect(limited.lines == Array(all.lines.prefix(3)))
        // Readers stop at their next refill: less than one file was read, though the files are
        // read by one thread as one run (small gzipped files) and matches are handed over in batches.
        #expect(limited.outcome.summary.records < perFile, "\(limited.outcome.summary.records) records read")
    }

    // MARK: --fields

    @Test func fieldsAreTabSeparatedWithTabsAndNewlinesEscaped() throws {
        let event = #"{"source":"aws.rds","time":"2026-11-20T09:00:00Z","detail":{"name":"a\tb\nc\\d","n":3,"nested":{"k": [1, "x"]},"none":null}}"#
        var columns = HuntFieldColumns(paths: try ["source", "detail.name", "detail.n", "detail.nested", "detail.missing", "detail.none"].map { try EventPath($0) })
        var output: [UInt8] = []
        let match = Alerter.Match(event: Array(event.utf8), identity: [], time: [], seconds: nil, file: "f", record: 0)
        columns.append(match, to: &output)
        #expect(String(decoding: output, as: UTF8.self) == "aws.rds\ta\\tb\\nc\\\\d\t3\t{\"k\":[1,\"x\"]}\t\tnull\n")
    }

    @Test func fieldsOfSampleLogs() throws {
        let found = try Self.hunt([PipelineFixtures.sampleLogs], pattern: #"{"detail":{"eventName":["ModifyDBSnapshotAttribute"]}}"#,
                                  format: HuntFieldColumns(paths: try ["time", "detail.userIdentity.userName", "detail.requestParameters.valuesToAdd"].map { try EventPath($0) }))
        #expect(found.lines.first == "2026-11-20T09:34:12Z\tci-deploy\t[\"all\"]")
    }
}

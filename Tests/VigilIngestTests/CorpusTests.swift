import Foundation
import Testing
import VigilIngest
import VigilPattern

// Every file of the shared corpus (`../shared/corpus`, see its SOURCES.md) read as a user would
// read it, with the number of records, problems and skips asserted per file, and every record
// normalized into a valid EventBridge envelope. Counts are computed independently with Foundation
// where the file's structure allows it.

@Suite("The shared corpus", .enabled(if: Corpus.isPresent, "../shared/corpus is not beside the package"))
struct CorpusTests {
    // MARK: CloudTrail

    @Test("Stratus Red Team: every bare array is read whole, 310 records in all")
    func stratusRedTeam() throws {
        let files = try Corpus.files(in: "cloudtrail/stratus-red-team", ext: "json")
        #expect(files.count == 35)
        var total = 0
        var detailTypes: [String: Int] = [:]
        var sources: Set<String> = []
        for file in files {
            let name = file.lastPathComponent
            let expected = try Harness.arrayCount(of: file)
            let result = try Harness.read(path: file.path)
            #expect(result.records.count == expected, "\(name)")
            #expect(result.problems.isEmpty, "\(name): \(result.problems)")
            #expect(result.skips.isEmpty, "\(name)")
            #expect(result.kinds.allSatisfy { $0 == .cloudTrail }, "\(name)")
            #expect(result.records.map(\.ordinal) == Array(0..<result.records.count), "\(name)")
            // Each record's bytes are one element of the array, as Foundation sees it.
            let elements = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [[String: Any]])
            for (record, element) in zip(result.records, elements) {
                #expect(record.object?["eventID"] as? String == element["eventID"] as? String, "\(name)")
            }
            let normalized = Harness.normalize(result.records, path: file.path)
            #expect(normalized.refused.isEmpty, "\(name): \(normalized.refused.map(\.problem))")
            #expect(normalized.envelopes.count == expected, "\(name)")
            for (envelope, element) in zip(normalized.envelopes, elements) {
                detailTypes[envelope["detail-type"] ?? "?", default: 0] += 1
                sources.insert(envelope["source"] ?? "?")
                #expect(envelope["time"] == element["eventTime"] as? String)
                #expect(envelope["region"] == element["awsRegion"] as? String)
                #expect(envelope["account"] == element["recipientAccountId"] as? String)
                #expect(envelope.object["resources"] as? [Any] != nil)
                #expect(envelope.detail?["eventID"] as? String == element["eventID"] as? String)
                #expect(envelope.eventTime != nil)
            }
            total += result.records.count
        }
        #expect(total == 310)
        #expect(detailTypes == ["AWS API Call via CloudTrail": 309, "AWS Console Sign In via CloudTrail": 1])
        #expect(sources.isSuperset(of: ["aws.ssm", "aws.ec2", "aws.rds", "aws.signin", "aws.sts", "aws.ec2-instance-connect"]))
    }

    @Test("AWS docs: Records files, the Insights file, the RDS record and the digest files")
    func awsDocs() throws {
        let folder = "cloudtrail/aws-docs"
        let files = try Corpus.files(in: folder, ext: "json")
        #expect(files.count == 10)
        for file in files {
            let name = file.lastPathComponent
            let result = try Harness.read(path: file.path)
            #expect(result.problems.isEmpty, "\(name): \(result.problems)")
            let normalized = Harness.normalize(result.records, path: file.path)
            #expect(normalized.refused.isEmpty, "\(name): \(normalized.refused.map(\.problem))")
            let root = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]

            if name.hasPrefix("digest-file-example") {
                // CloudTrail-Digest files are integrity data, not activity: skipped and counted.
                #expect(result.records.isEmpty, "\(name)")
                #expect(result.skips == [.cloudTrailDigest], "\(name)")
            } else if name == "rds-CreateDBInstance-example.json" {
                #expect(result.skips.isEmpty)
                #expect(result.kinds == [.cloudTrail])
                let envelope = try #require(normalized.envelopes.first)
                #expect(envelope["source"] == "aws.rds")
                #expect(envelope["detail-type"] == "AWS API Call via CloudTrail")
                #expect(envelope.detail?["eventName"] as? String == "CreateDBInstance")
                // No recipientAccountId: the account comes from userIdentity.
                #expect(envelope["account"] == ((root?["userIdentity"] as? [String: Any])?["accountId"] as? String))
            } else {
                // `{"Records":[…]}`
                let elements = try #require(root?["Records"] as? [[String: Any]], "\(name)")
                #expect(result.skips.isEmpty, "\(name)")
                #expect(result.records.count == elements.count, "\(name)")
                #expect(result.kinds.allSatisfy { $0 == .cloudTrail }, "\(name)")
                #expect(normalized.envelopes.count == elements.count, "\(name)")
                for (envelope, element) in zip(normalized.envelopes, elements) {
                    #expect(envelope["time"] == element["eventTime"] as? String, "\(name)")
                    if name == "insights-event-example.json" {
                        #expect(envelope["detail-type"] == "AWS Insight via CloudTrail")
                        #expect(envelope["source"] == "aws.cloudtrail")
                    } else {
                        #expect(envelope["detail-type"] == "AWS API Call via CloudTrail", "\(name)")
                        let eventSource = try #require(element["eventSource"] as? String)
                        #expect(envelope["source"] == "aws." + eventSource.prefix { $0 != "." }, "\(name)")
                    }
                }
            }
        }
        // The counts, for the record.
        let counts = try Dictionary(uniqueKeysWithValues: files.map { ($0.lastPathComponent, try Harness.read(path: $0.path).records.count) })
        #expect(counts == [
            "digest-file-example-02.json": 0, "digest-file-example-03.json": 0, "insights-event-example.json": 2,
            "log-file-example-02.json": 1, "log-file-example-03.json": 1, "log-file-example-04.json": 1,
            "log-file-example-05.json": 1, "log-file-example-06.json": 1, "log-file-example-08.json": 1,
            "rds-CreateDBInstance-example.json": 1,
        ])
    }

    @Test("Panther's labelled CloudTrail events, unwrapped to JSON Lines: partial ones are reported")
    func pantherCloudTrail() throws {
        let logs = try Self.pantherLogs("cloudtrail/panther-tests/AWS.CloudTrail.jsonl")
        #expect(logs.count == 475)
        // Independently: what has the keys the reader requires of a CloudTrail record.
        let complete = logs.filter { $0["eventVersion"] != nil && $0["eventTime"] != nil
            && ($0["eventSource"] != nil || $0["eventType"] != nil || $0["eventID"] != nil) }
        #expect(complete.count == 417)
        try Harness.withDirectory { directory in
            let path = try Self.writeJSONLines(logs, to: directory, name: "AWS.CloudTrail.logs.jsonl")
            let result = try Harness.read(path: path)
            #expect(result.records.count == 417)
            #expect(result.kinds.allSatisfy { $0 == .cloudTrail })
            // The rest lack eventVersion or eventTime (partial events written for one rule).
            #expect(result.problems.count == 58)
            #expect(result.problems.allSatisfy { $0.kind == .unrecognizedRecord && $0.path == path && $0.record != nil })
            #expect(result.skips.isEmpty)
            // Records and problems together account for every line, in order.
            let ordinals = (result.records.map(\.ordinal) + result.problems.compactMap(\.record)).sorted()
            #expect(ordinals == Array(0..<475))

            let normalized = Harness.normalize(result.records, path: path)
            #expect(normalized.envelopes.count == 414)
            // One has eventVersion, eventTime and eventType but no eventSource; two have an
            // eventTime that is no time ("redacted", "...").
            let badTime = "A CloudTrail record whose eventTime is not a date and time"
            #expect(normalized.refused.map(\.problem.reason).sorted()
                == ["A CloudTrail record without eventSource", badTime, badTime].sorted())
            let rds = normalized.envelopes.filter { $0["source"] == "aws.rds" }
            #expect(rds.count > 40)
        }
    }

    @Test("Panther's labelled GuardDuty findings, unwrapped to JSON Lines: all read")
    func pantherGuardDuty() throws {
        let logs = try Self.pantherLogs("guardduty/panther-tests/AWS.GuardDuty.jsonl")
        #expect(logs.count == 8)
        try Harness.withDirectory { directory in
            let path = try Self.writeJSONLines(logs, to: directory, name: "AWS.GuardDuty.logs.jsonl")
            let result = try Harness.read(path: path)
            #expect(result.records.count == 8)
            #expect(result.kinds.allSatisfy { $0 == .guardDutyFinding })
            #expect(result.problems.isEmpty)
            let normalized = Harness.normalize(result.records, path: path)
            #expect(normalized.refused.isEmpty)
            for (envelope, log) in zip(normalized.envelopes, logs) {
                #expect(envelope["source"] == "aws.guardduty")
                #expect(envelope["detail-type"] == "GuardDuty Finding")
                // updatedAt in whole seconds, `T`-separated, as EventBridge writes `time`.
                let updatedAt = try #require(log["updatedAt"] as? String)
                #expect(envelope["time"] == String(updatedAt.prefix(10)) + "T" + updatedAt.dropFirst(11).prefix(8) + "Z")
                #expect(envelope["account"] == log["accountId"] as? String)
                #expect(envelope["region"] == log["region"] as? String)
                // Panther writes some times as `2025-02-25 20:40:06.721`; they still parse.
                #expect(envelope.eventTime != nil, "\(envelope["time"] ?? "")")
            }
        }
    }

    // MARK: GuardDuty, EventBridge

    @Test("GuardDuty sample findings (raw) are findings; time is updatedAt in whole seconds")
    func guardDutySamples() throws {
        let files = try Corpus.files(in: "guardduty/aws-samples", ext: "json")
        #expect(files.count == 3)
        for file in files {
            let finding = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
            let result = try Harness.read(path: file.path)
            #expect(result.kinds == [.guardDutyFinding], "\(file.lastPathComponent)")
            #expect(result.problems.isEmpty)
            let envelope = try #require(Harness.normalize(result.records, path: file.path).envelopes.first)
            #expect(envelope["source"] == "aws.guardduty")
            #expect(envelope["detail-type"] == "GuardDuty Finding")
            #expect(envelope["account"] == "123456789012")
            #expect(envelope["region"] == "us-east-1")
            #expect(envelope["time"] == (finding["updatedAt"] as? String).map { String($0.prefix(19)) + "Z" })
            #expect(envelope.detail?["id"] as? String == finding["id"] as? String)
        }
    }

    @Test("An EventBridge event (S3 PutObject via CloudTrail) passes through unchanged")
    func eventBridgeEvent() throws {
        let file = Corpus.url("eventbridge/aws-docs_stepfunctions_s3-putobject-via-cloudtrail.json")
        let result = try Harness.read(path: file.path)
        #expect(result.kinds == [.eventBridgeEvent])
        #expect(result.problems.isEmpty)
        let envelope = try #require(Harness.normalize(result.records, path: file.path).envelopes.first)
        #expect(envelope["id"] == "8d6f9246-b781-44f8-a026-f1c1ab2c61f0")
        #expect(envelope["source"] == "aws.s3")
        #expect(envelope["detail-type"] == "AWS API Call via CloudTrail")
        #expect(envelope.eventTime == Timestamps.parse("2018-09-12T00:25:10Z"))
        // The same event, compacted.
        let original = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? NSDictionary
        #expect(original == envelope.object as NSDictionary)
        #expect(!envelope.json.contains(UInt8(ascii: "\n")))
    }

    // MARK: VPC Flow Logs, CloudWatch Logs

    @Test("AWS's flow log examples: 28 lines under 5 formats; 3 doc quirks refused by the normalizer")
    func flowExamples() throws {
        let file = Corpus.url("vpcflow/aws-docs/flow-logs-records-examples.txt")
        let result = try Harness.read(path: file.path)
        #expect(result.problems.isEmpty)
        #expect(result.records.count == 28)
        #expect(result.kinds.allSatisfy { $0 == .flowLog })
        // Sections: default v2 (7), v3 custom (8), six-field (6), transit gateway (5), v5 (2).
        let fieldCounts = result.records.map { $0.flowFormat?.fieldNames.count ?? -1 }
        #expect(fieldCounts == Array(repeating: 14, count: 7) + Array(repeating: 21, count: 8)
            + Array(repeating: 6, count: 6) + Array(repeating: 17, count: 5) + Array(repeating: 29, count: 2))
        #expect(result.records.first?.flowFormat == .defaultV2)

        let normalized = Harness.normalize(result.records, path: file.path)
        #expect(normalized.envelopes.count == 25)
        // The two `#comment` lines and the `...` line.
        #expect(normalized.refused.map(\.ordinal) == [19, 20, 22])
        #expect(normalized.refused.map(\.problem.reason) == ["expected 6 fields, found 16", "expected 6 fields, found 17",
                                                             "expected 17 fields, found 1"])
        #expect(normalized.envelopes.allSatisfy { $0["source"] == "aws.vpcflowlogs" && $0["detail-type"] == "VPC Flow Log Record" })
        let first = try #require(normalized.envelopes.first)
        #expect(first["time"] == "2014-12-14T04:06:50Z")
        #expect(first["account"] == "123456789010")
        #expect(first.detail?["dstport"] as? Int == 22)
        let noData = normalized.envelopes[2]
        #expect(noData.detail?["log-status"] as? String == "NODATA")
        #expect(noData.detail?["srcaddr"] == nil)
        let v5 = try #require(normalized.envelopes.last)
        #expect(v5["region"] == "ap-southeast-2")
        #expect(v5.detail?["traffic-path"] as? Int == 8)
        #expect(v5.detail?["pkt-dst-aws-service"] as? String == "S3")
    }

    @Test("The Lambda CloudWatch Logs payload: its messages are not records, each reported")
    func lambdaPayload() throws {
        let file = Corpus.url("vpcflow/cwl-subscription/aws-lambda-go_cloudwatch-logs-event.json")
        let result = try Harness.read(path: file.path)
        #expect(result.records.isEmpty)
        #expect(result.skips.isEmpty)
        #expect(result.problems.map(\.kind) == [.unrecognizedRecord, .unrecognizedRecord])
        #expect(result.problems.map(\.record) == [0, 1])
        #expect(result.problems.allSatisfy { $0.path == file.path && $0.offset != nil })
        #expect(result.problems.first?.reason == "A log event message that is neither JSON nor a default-format flow log record")
    }

    @Test("The decoded docs payload: its three messages are truncated JSON, each reported malformed")
    func decodedDocsPayload() throws {
        let file = Corpus.url("vpcflow/cwl-subscription/aws-docs_decoded-subscription-payload.json")
        let result = try Harness.read(path: file.path)
        #expect(result.records.isEmpty)
        #expect(result.problems.map(\.kind) == [.malformedRecord, .malformedRecord, .malformedRecord])
        #expect(result.problems.map(\.record) == [0, 1, 2])
        #expect(result.problems.allSatisfy { $0.reason == "Unexpected end of input" })
    }

    // MARK: gzip

    @Test("Every corpus CloudTrail file, as a gzipped {\"Records\":[…]}, gives the same records as the plain read")
    func gzippedCloudTrail() throws {
        let files = try Corpus.files(in: "cloudtrail/stratus-red-team", ext: "json")
            + Corpus.files(in: "cloudtrail/aws-docs", ext: "json").filter { !$0.lastPathComponent.hasPrefix("digest") }
        #expect(files.count == 43)
        var total = 0
        try Harness.withDirectory { directory in
            for file in files {
                let plain = try Harness.read(path: file.path)
                try #require(!plain.records.isEmpty && plain.problems.isEmpty, "\(file.lastPathComponent)")
                // A derived fixture, as S3 would deliver it: `{"Records":[…]}`, gzipped, named by the CloudTrail convention.
                var wrapped = Array(#"{"Records":["#.utf8)
                for (index, record) in plain.records.enumerated() {
                    if index > 0 { wrapped.append(UInt8(ascii: ",")) }
                    wrapped.append(contentsOf: record.bytes)
                }
                wrapped.append(contentsOf: "]}".utf8)
                let name = "111122223333_CloudTrail_us-east-1_20261120T0905Z_\(file.deletingPathExtension().lastPathComponent).json.gz"
                let path = try Harness.write(Harness.gzip(wrapped), to: directory, name: name)
                let input = try DecodedInput(path: path)
                var gzipped = Collector()
                LogFileReader(input: input).read(into: &gzipped)
                #expect(input.encoding == .gzip)
                #expect(gzipped.problems.isEmpty, "\(file.lastPathComponent): \(gzipped.problems)")
                #expect(gzipped.texts == plain.texts, "\(file.lastPathComponent)")
                #expect(gzipped.kinds == plain.kinds)
                #expect(gzipped.records.map(\.ordinal) == plain.records.map(\.ordinal))
                total += gzipped.records.count
            }
        }
        #expect(total == 310 + 9)
    }

    // MARK: Helpers

    /// The `log` of each labelled Panther test event `{rule, file, test, expected, log}`.
    static func pantherLogs(_ relative: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: Corpus.url(relative))
        return try data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            guard line.contains(where: { !whitespaceBytes.contains($0) }) else { return nil }
            let wrapper = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            return try #require(wrapper["log"] as? [String: Any])
        }
    }

    static func writeJSONLines(_ objects: [[String: Any]], to directory: URL, name: String) throws -> String {
        var bytes: [UInt8] = []
        for object in objects {
            bytes.append(contentsOf: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
            bytes.append(UInt8(ascii: "\n"))
        }
        return try Harness.write(bytes, to: directory, name: name)
    }
}

private let whitespaceBytes: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]

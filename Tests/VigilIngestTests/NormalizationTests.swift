import Foundation
import Testing
import VigilIngest
import VigilPattern

// `EventNormalizer` and `EnvelopeWriter`: each kind of record becomes the EventBridge event
// ARCHITECTURE.md ("Normalized event") specifies; every envelope written is checked to be valid JSON by
// the harness. Also `Timestamps` and `LogFileContext`, which the envelope's time, account and
// region depend on.

/// A CloudTrail record with the given members (JSON text, without braces) after a common prefix.
private func cloudTrail(_ members: String) -> String {
    #"{"eventVersion":"1.08","eventTime":"2026-11-20T09:05:00Z","awsRegion":"us-east-1","eventName":"X",\#(members)}"#
}

/// True for a lowercase RFC 9562 version-5 UUID.
private func isVersion5UUID(_ text: String?) -> Bool {
    guard let text else { return false }
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.map(\.count) == [8, 4, 4, 4, 12],
          text.allSatisfy({ $0 == "-" || $0.isHexDigit && !$0.isUppercase }) else { return false }
    return parts[2].first == "5" && "89ab".contains(parts[3].first!)
}

@Suite("Normalization: CloudTrail")
struct CloudTrailNormalizationTests {
    @Test("detail-type follows eventType", arguments: [
        ("AwsApiCall", "AWS API Call via CloudTrail"),
        ("AwsConsoleSignIn", "AWS Console Sign In via CloudTrail"),
        ("AwsConsoleAction", "AWS Console Action via CloudTrail"),
        ("AwsServiceEvent", "AWS Service Event via CloudTrail"),
        ("AwsCloudTrailInsight", "AWS Insight via CloudTrail"),
        // A type EventBridge does not document is named after itself.
        ("AwsVpceEvent", "AwsVpceEvent via CloudTrail"),
    ])
    func detailType(eventType: String, expected: String) throws {
        let envelope = try Harness.envelope(.cloudTrail, cloudTrail(#""eventSource":"signin.amazonaws.com","eventType":"\#(eventType)","eventID":"e1""#))
        #expect(envelope["detail-type"] == expected)
        #expect(envelope["source"] == "aws.signin")
    }

    @Test("An eventVersion 1.0 record without eventType (or eventID) is an API call, with a stable id")
    func eventVersion10() throws {
        let record = #"{"eventVersion":"1.0","userIdentity":{"type":"IAMUser","accountId":"123456789012"},"#
            + #""eventTime":"2014-03-06T21:22:54Z","eventSource":"ec2.amazonaws.com","eventName":"StartInstances","#
            + #""awsRegion":"us-east-2","sourceIPAddress":"205.251.233.176"}"#
        let envelope = try Harness.envelope(.cloudTrail, record)
        #expect(envelope["detail-type"] == "AWS API Call via CloudTrail")
        #expect(envelope["source"] == "aws.ec2")
        #expect(envelope["account"] == "123456789012")
        #expect(envelope["region"] == "us-east-2")
        #expect(envelope["time"] == "2014-03-06T21:22:54Z")
        #expect(isVersion5UUID(envelope["id"]))
        #expect(try Harness.envelope(.cloudTrail, record)["id"] == envelope["id"])
        // The content decides: another record gets another id.
        let other = record.replacingOccurrences(of: "StartInstances", with: "StopInstances")
        #expect(try Harness.envelope(.cloudTrail, other)["id"] != envelope["id"])
    }

    @Test("A sign-in without eventType (AWS's eventVersion 1.05 example) is a console sign-in, not an API call")
    func signInWithoutEventType() throws {
        // Tests/Fixtures/SOURCES.md: the IAM user guide's failed ConsoleLogin, verbatim.
        let file = FixtureFiles.url("cloudtrail/iam-user-guide-console-login-failure.json")
        let result = try Harness.read(path: file.path)
        #expect(result.problems.isEmpty)
        let normalized = Harness.normalize(result.records, path: file.path)
        let envelope = try #require(normalized.envelopes.first)
        #expect(normalized.envelopes.count == 1)
        #expect(envelope["detail-type"] == "AWS Console Sign In via CloudTrail")
        #expect(envelope["source"] == "aws.signin")
        #expect(envelope["account"] == "111122223333")
        #expect(envelope["region"] == "us-east-2")
        #expect(envelope["time"] == "2014-07-08T17:35:27Z")
        // Only signin.amazonaws.com: another service's record without eventType stays an API call,
        // and eventType, where present, decides.
        let iam = try Harness.envelope(.cloudTrail, cloudTrail(#""eventSource":"iam.amazonaws.com","eventID":"e2""#))
        #expect(iam["detail-type"] == "AWS API Call via CloudTrail")
        let typed = try Harness.envelope(.cloudTrail, cloudTrail(#""eventSource":"signin.amazonaws.com","eventType":"AwsApiCall","eventID":"e3""#))
        #expect(typed["detail-type"] == "AWS API Call via CloudTrail")
    }

    @Test("account is recipientAccountId, wherever it is; else userIdentity.accountId; else empty")
    func account() throws {
        let identity = #""userIdentity":{"type":"AssumedRole","accountId":"999988887777"}"#
        let before = try Harness.envelope(.cloudTrail, cloudTrail(#"\#(identity),"eventSource":"s3.amazonaws.com","recipientAccountId":"111122223333""#))
        #expect(before["account"] == "111122223333")
        let after = try Harness.envelope(.cloudTrail, cloudTrail(#""recipientAccountId":"111122223333","eventSource":"s3.amazonaws.com",\#(identity)"#))
        #expect(after["account"] == "111122223333")
        let fallback = try Harness.envelope(.cloudTrail, cloudTrail(#"\#(identity),"eventSource":"s3.amazonaws.com""#))
        #expect(fallback["account"] == "999988887777")
        let service = try Harness.envelope(.cloudTrail, cloudTrail(#""userIdentity":{"type":"AWSService","invokedBy":"s3.amazonaws.com"},"eventSource":"s3.amazonaws.com""#))
        #expect(service["account"] == "")
    }

    @Test("source is aws. + the service prefix of eventSource, with CloudWatch's exception", arguments: [
        ("rds.amazonaws.com", "aws.rds"),
        ("monitoring.amazonaws.com", "aws.cloudwatch"),
        ("s3.amazonaws.com", "aws.s3"),
        ("ec2-instance-connect.amazonaws.com", "aws.ec2-instance-connect"),
        ("sso", "aws.sso"),
    ])
    func source(eventSource: String, expected: String) throws {
        let envelope = try Harness.envelope(.cloudTrail, cloudTrail(#""eventSource":"\#(eventSource)","eventType":"AwsApiCall""#))
        #expect(envelope["source"] == expected)
    }

    @Test("The envelope as written: fields in order, resources empty, detail the record verbatim")
    func writtenEnvelope() throws {
        let record = Fixture.cloudTrail(3)
        let envelope = try Harness.envelope(.cloudTrail, record)
        let id = try #require(envelope["id"])
        #expect(isVersion5UUID(id))
        #expect(envelope.text == #"{"version":"0","id":"\#(id)","detail-type":"AWS API Call via CloudTrail","source":"aws.s3","#
            + #""account":"111122223333","time":"2026-11-20T09:00:03Z","region":"us-east-1","resources":[],"detail":\#(record)}"#)
        #expect(envelope.eventTime == Timestamps.parse("2026-11-20T09:00:03Z"))
        #expect(envelope.identity == Fixture.eventID(3) + "@111122223333")
        // A pretty-printed record is compacted into one line.
        let pretty = try Harness.envelope(.cloudTrail, Fixture.pretty(record))
        #expect(!pretty.text.contains("\n"))
        #expect(pretty.detail as NSDictionary? == envelope.detail as NSDictionary?)
    }

    @Test("id is a v5 UUID from eventID: the same in two runs over the same file, different per event")
    func stableIDs() throws {
        let text = #"{"Records":["# + (0..<50).map { Fixture.cloudTrail($0) }.joined(separator: ",") + "]}"
        let first = Harness.normalize(Harness.read(text).records, path: "a.json").envelopes.compactMap { $0["id"] }
        let second = Harness.normalize(Harness.read(text).records, path: "copied/elsewhere/a.json").envelopes.compactMap { $0["id"] }
        #expect(first.count == 50)
        #expect(first == second)
        #expect(Set(first).count == 50)
        #expect(first.allSatisfy(isVersion5UUID))
        // The same eventID in another record kind does not collide.
        let finding = try Harness.envelope(.guardDutyFinding, Fixture.finding(0))
        #expect(!first.contains(finding["id"] ?? ""))
    }

    @Test("One eventID in two accounts is two events with two ids; in one account, one")
    func eventIDWithAccount() throws {
        let record = cloudTrail(#""eventSource":"s3.amazonaws.com","eventID":"shared","recipientAccountId":"ACCOUNT""#)
        let first = try Harness.envelope(.cloudTrail, record.replacingOccurrences(of: "ACCOUNT", with: "111122223333"))
        let second = try Harness.envelope(.cloudTrail, record.replacingOccurrences(of: "ACCOUNT", with: "444455556666"))
        let again = try Harness.envelope(.cloudTrail, record.replacingOccurrences(of: "ACCOUNT", with: "111122223333"))
        #expect(first.identity == "shared@111122223333")
        #expect(first["id"] != second["id"])
        #expect(first["id"] == again["id"])
        // The account the envelope gives, whichever member it came from.
        let fallback = try Harness.envelope(.cloudTrail, cloudTrail(#""eventSource":"s3.amazonaws.com","eventID":"shared","userIdentity":{"accountId":"444455556666"}"#))
        #expect(fallback.identity == "shared@444455556666")
        #expect(fallback["id"] == second["id"])
    }

    @Test("Escapes in envelope values are decoded, then written back escaped")
    func escapedValues() throws {
        let envelope = try Harness.envelope(.cloudTrail, #"{"eventVersion":"1.08","eventTime":"2026-11-20T09:05:00Z","awsRegion":"us\u002deast-1","eventSource":"s3.amazonaws.com","recipientAccountId":"1111\"2222","eventID":"x"}"#)
        #expect(envelope["region"] == "us-east-1")
        #expect(envelope["account"] == "1111\"2222")
    }

    @Test("A record without eventTime, or without eventSource (other than Insights), is refused")
    func refused() {
        #expect(throws: InputProblem.self) {
            try Harness.envelope(.cloudTrail, #"{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventID":"x"}"#)
        }
        do {
            _ = try Harness.envelope(.cloudTrail, cloudTrail(#""eventType":"AwsApiCall""#))
            Issue.record("expected a refusal")
        } catch let problem as InputProblem {
            #expect(problem.kind == .unrecognizedRecord)
            #expect(problem.reason == "A CloudTrail record without eventSource")
        } catch {
            Issue.record("\(error)")
        }
        let insight = try? Harness.envelope(.cloudTrail, cloudTrail(#""eventType":"AwsCloudTrailInsight","eventID":"i""#))
        #expect(insight?["source"] == "aws.cloudtrail")
    }

    @Test("A record whose eventTime is no date and time is refused as malformed", arguments: [
        "99999-99-99T99:99:99Z", "2026-13-01T00:00:00Z", "2026-11-20T25:00:00Z", "yesterday",
    ])
    func impossibleEventTime(time: String) {
        let record = Fixture.cloudTrail(1).replacingOccurrences(of: "2026-11-20T09:00:01Z", with: time)
        #expect(record.contains(time))
        do {
            _ = try Harness.envelope(.cloudTrail, record)
            Issue.record("expected a refusal")
        } catch let problem as InputProblem {
            #expect(problem.kind == .malformedRecord)
            #expect(problem.reason == "A CloudTrail record whose eventTime is not a date and time")
        } catch {
            Issue.record("\(error)")
        }
    }
}

@Suite("Normalization: flow logs, GuardDuty, EventBridge")
struct OtherNormalizationTests {
    static let flowPath = "/archive/AWSLogs/111122223333/vpcflowlogs/eu-west-1/2026/11/20/"
        + "111122223333_vpcflowlogs_eu-west-1_fl-0abc_20261120T0910Z_1a2b3c4d.log"

    @Test("A flow record: time from start as ISO-8601, account and region from the S3 key, `-` fields absent")
    func flowFromKey() throws {
        let header = "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status tcp-flags"
        let text = header + "\n"
            + "2 eni-0a1b 10.0.1.5 10.0.2.5 49152 443 6 10 840 1763629200 1763629260 ACCEPT OK -\n"
            + "2 eni-0a1b - - - - - - - 1763629200 1763629260 - NODATA -\n"
        let result = Harness.read(text, name: Self.flowPath)
        #expect(result.problems.isEmpty)
        let normalized = Harness.normalize(result.records, path: Self.flowPath)
        #expect(normalized.refused.isEmpty)
        try #require(normalized.envelopes.count == 2)
        let accept = normalized.envelopes[0]
        #expect(accept["source"] == "aws.vpcflowlogs")
        #expect(accept["detail-type"] == "VPC Flow Log Record")
        #expect(accept["time"] == "2025-11-20T09:00:00Z")
        #expect(accept.eventTime == 1_763_629_200)
        #expect(accept["account"] == "111122223333")
        #expect(accept["region"] == "eu-west-1")
        #expect(accept.object["resources"] as? [Any] != nil)
        #expect(accept.detail?["dstport"] as? Int == 443)
        #expect(accept.detail?["srcaddr"] as? String == "10.0.1.5")
        #expect(accept.detail?["tcp-flags"] == nil)
        #expect(accept.detail?.keys.contains("account-id") == false)
        let noData = normalized.envelopes[1]
        #expect(noData.detail?["log-status"] as? String == "NODATA")
        #expect(Set(noData.detail?.keys.map { $0 } ?? []) == ["version", "interface-id", "start", "end", "log-status"])
        #expect(noData["time"] == "2025-11-20T09:00:00Z")
        #expect(isVersion5UUID(accept["id"]) && accept["id"] != noData["id"])
    }

    @Test("A flow record's own account-id and region win over the key; `unknown` falls back to the key")
    func flowOwnFields() throws {
        let header = "version account-id region start end log-status"
        let own = try Harness.envelope(.flowLog, "5 444455556666 us-west-2 1763629200 1763629260 OK", path: Self.flowPath,
                                       flowFormat: FlowLogFormat(fieldNames: header.split(separator: " ").map(String.init)))
        #expect(own["account"] == "444455556666")
        #expect(own["region"] == "us-west-2")
        let unknown = try Harness.envelope(.flowLog, "5 unknown - 1763629200 1763629260 OK", path: Self.flowPath,
                                           flowFormat: FlowLogFormat(fieldNames: header.split(separator: " ").map(String.init)))
        #expect(unknown["account"] == "111122223333")
        #expect(unknown["region"] == "eu-west-1")
        #expect(unknown.detail?["account-id"] as? String == "unknown")
        // Without start and end, the delivery time in the file name.
        let timeless = try Harness.envelope(.flowLog, "5 unknown - - - NODATA", path: Self.flowPath,
                                            flowFormat: FlowLogFormat(fieldNames: header.split(separator: " ").map(String.init)))
        #expect(timeless["time"] == "2026-11-20T09:10:00Z")
    }

    @Test("A flow record's id comes from the S3 key and ordinal, not from where the archive sits")
    func flowIdentity() throws {
        let line = Fixture.flowLine(1)
        let here = try Harness.envelope(.flowLog, line, path: "/a" + Self.flowPath, flowFormat: .defaultV2)
        let there = try Harness.envelope(.flowLog, line, path: "/mnt/b/c" + Self.flowPath, flowFormat: .defaultV2)
        #expect(here["id"] == there["id"])
        #expect(here.identity.hasPrefix("AWSLogs/111122223333/vpcflowlogs/"))
        #expect(here.identity.hasSuffix(":0"))
    }

    @Test("A malformed flow line is refused by the normalizer with the reason")
    func flowMalformed() {
        #expect(throws: InputProblem.self) {
            try Harness.envelope(.flowLog, "2 111122223333 eni-1 x", flowFormat: .defaultV2)
        }
    }

    @Test("A GuardDuty finding: time is updatedAt (wherever it is) in whole seconds, account and region from the finding")
    func guardDuty() throws {
        let finding = Fixture.finding(4, updatedAt: "2026-11-20T10:11:12.345Z")
        let envelope = try Harness.envelope(.guardDutyFinding, finding)
        #expect(envelope["source"] == "aws.guardduty")
        #expect(envelope["detail-type"] == "GuardDuty Finding")
        #expect(envelope["time"] == "2026-11-20T10:11:12Z")
        #expect(envelope.eventTime == Timestamps.parse("2026-11-20T10:11:12Z"))
        #expect(envelope["account"] == "111122223333")
        #expect(envelope["region"] == "eu-west-1")
        #expect(envelope.identity == "finding4@2026-11-20T10:11:12.345Z")
        #expect(envelope.detail as NSDictionary? == (try JSONSerialization.jsonObject(with: Data(finding.utf8)) as? NSDictionary))
        // updatedAt before createdAt in the object: still updatedAt.
        let reordered = #"{"updatedAt":"2026-11-21T00:00:00Z","schemaVersion":"2.0","accountId":"1","region":"r","type":"t","#
            + #""service":{},"id":"f","createdAt":"2026-11-20T00:00:00Z"}"#
        #expect(try Harness.envelope(.guardDutyFinding, reordered)["time"] == "2026-11-21T00:00:00Z")
        // An update of the same finding is another event.
        let updated = try Harness.envelope(.guardDutyFinding, Fixture.finding(4, updatedAt: "2026-11-20T11:00:00.000Z"))
        #expect(updated["id"] != envelope["id"])
        // An updatedAt that is no date and time is refused, as CloudTrail's eventTime is.
        let impossible = #"{"updatedAt":"99999-99-99T00:00:00Z","schemaVersion":"2.0","accountId":"1","region":"r","type":"t","service":{},"id":"f"}"#
        #expect(throws: InputProblem.self) { try Harness.envelope(.guardDutyFinding, impossible) }
        #expect(isVersion5UUID(envelope["id"]))
    }

    @Test("An EventBridge event passes through compacted, with its own id")
    func eventBridge() throws {
        let event = Fixture.guardDutyEvent(3)
        let envelope = try Harness.envelope(.eventBridgeEvent, Fixture.pretty(event))
        #expect(envelope.object as NSDictionary == (try JSONSerialization.jsonObject(with: Data(event.utf8)) as! NSDictionary))
        #expect(envelope["id"] == "c8c4daa7-a20c-2f03-0070-b7393dd542a3")
        #expect(envelope.eventTime == Timestamps.parse("2026-11-20T09:05:00Z"))
        // Without an id of its own, the same content always gets the same one.
        let anonymous = #"{"source":"custom.app","detail-type":"Thing","detail":{"a":1}}"#
        #expect(try Harness.envelope(.eventBridgeEvent, anonymous).identity == (try Harness.envelope(.eventBridgeEvent, anonymous).identity))
    }
}

@Suite("Timestamps and log file paths")
struct TimestampAndContextTests {
    @Test("parse: AWS's forms, offsets and fractions", arguments: [
        ("2026-11-20T09:03:12Z", 1_795_165_392),
        ("2026-11-20T09:03:12.345Z", 1_795_165_392),
        ("2026-11-20T09:03:12.123456789Z", 1_795_165_392),
        ("2026-11-20T10:03:12+01:00", 1_795_165_392),
        ("2026-11-20T10:03:12.5+0100", 1_795_165_392),
        ("2026-11-20T03:33:12-05:30", 1_795_165_392),
        ("2026-11-20T10:03:12+01", 1_795_165_392),
        ("2026-11-20 09:03:12", 1_795_165_392),
        ("2026-11-20T09:03:12", 1_795_165_392),
        ("2026-11-20", 1_795_132_800),
        ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59Z", -1),
        ("2000-02-29T12:00:00Z", 951_825_600),
    ] as [(String, Int64)])
    func parse(text: String, expected: Int64) {
        #expect(Timestamps.parse(text) == expected)
    }

    @Test("parse: not timestamps", arguments: [
        "", "garbage", "2026-13-01T00:00:00Z", "2026-11-32", "2026-11-20T24:00:00Z", "2026-11-20T09:60:00Z",
        "2026-11-20T09:03:12Zjunk", "2026-11-20T09:03", "2026/11/20", "2026-11-20T09:03:12+1", "1763629392",
    ])
    func notTimestamps(text: String) {
        #expect(Timestamps.parse(text) == nil)
    }

    @Test("appendISO8601 and parse round-trip, across leap days, centuries and before 1970")
    func roundTrip() {
        var seconds: [Int64] = [0, -1, 59, 86_399, 86_400, 951_782_400, 951_868_799, 4_107_542_400, 1_795_165_392, 253_402_300_799, -62_135_596_800]
        var value: Int64 = -2_208_988_800  // 1900-01-01
        while value < 4_102_444_800 {  // 2100-01-01
            seconds.append(value)
            value += 7_654_321
        }
        for second in seconds {
            let text = Timestamps.iso8601(second)
            #expect(text.count == 20 && text.hasSuffix("Z"), "\(second) → \(text)")
            #expect(Timestamps.parse(text) == second, "\(second) → \(text)")
        }
        #expect(Timestamps.iso8601(0) == "1970-01-01T00:00:00Z")
        #expect(Timestamps.iso8601(951_825_600) == "2000-02-29T12:00:00Z")
        #expect(Timestamps.iso8601(253_402_300_799) == "9999-12-31T23:59:59Z")
        // Foundation agrees.
        let formatter = ISO8601DateFormatter()
        for second in seconds where second >= 0 {
            #expect(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(second))) == Timestamps.iso8601(second))
        }
    }

    @Test("A CloudTrail key: account, service, region, folder day, delivery time, identity path")
    func cloudTrailKey() {
        let path = "/data/logs/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/111122223333_CloudTrail_us-east-1_20261120T0905Z_abc.json.gz"
        let context = LogFileContext(path: path)
        #expect(context.path == path)
        #expect(context.account == "111122223333")
        #expect(context.service == "CloudTrail")
        #expect(context.region == "us-east-1")
        #expect(context.folderDay == Timestamps.parse("2026-11-20"))
        #expect(context.deliveredAt == Timestamps.parse("2026-11-20T09:05:00Z"))
        #expect(context.identityPath == "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/111122223333_CloudTrail_us-east-1_20261120T0905Z_abc.json.gz")
    }

    @Test("An organization trail's key: AWSLogs/o-…/ACCOUNT/CloudTrail/…")
    func organizationTrail() {
        let context = LogFileContext(path: "AWSLogs/o-abc123/111122223333/CloudTrail/eu-west-1/2026/11/20/111122223333_CloudTrail_eu-west-1_20261120T0915Z_x.json.gz")
        #expect(context.account == "111122223333")
        #expect(context.service == "CloudTrail")
        #expect(context.region == "eu-west-1")
        #expect(context.folderDay == Timestamps.parse("2026-11-20"))
        #expect(context.deliveredAt == Timestamps.parse("2026-11-20T09:15:00Z"))
        #expect(context.identityPath.hasPrefix("AWSLogs/o-abc123/"))
    }

    @Test("A local file outside AWSLogs has one identity however its path is spelled")
    func identityIgnoresTheSpelling() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-identity-\(UUID().uuidString)")
        let tree = directory.appendingPathComponent("copy/AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/20")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("a.log").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let link = directory.appendingPathComponent("link.log").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file)
        let working = FileManager.default.currentDirectoryPath.split(separator: "/").count
        let relative = String(repeating: "../", count: working) + file.dropFirst()

        let folderLink = directory.appendingPathComponent("folder-link").path
        try FileManager.default.createSymbolicLink(atPath: folderLink, withDestinationPath: directory.path)

        let canonical = LogFileContext(path: file).identityPath
        #expect(canonical.hasPrefix("/") && canonical.hasSuffix("/a.log"))
        // A run's reader resolves each folder once (CanonicalDirectories): the same names, asked
        // in any order, its folders cached from the spellings before.
        let directories = CanonicalDirectories()
        let spellings = [relative, "./" + relative, link, directory.appendingPathComponent("copy/../a.log").path,
                         folderLink + "/a.log", folderLink + "/link.log", folderLink + "/./a.log"]
        for spelling in spellings + spellings {
            let context = LogFileContext(path: spelling)
            #expect(context.identityPath == canonical, "\(spelling)")
            #expect(context.path == spelling, "the path as typed is kept for alerts")
            #expect(LogFileContext(path: spelling, directories: directories).identityPath == canonical, "\(spelling), by folder")
        }

        // A link into a copy of the bucket is named as the object is in S3.
        let inTree = tree.appendingPathComponent("f.log.gz").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: inTree))
        let treeLink = directory.appendingPathComponent("tree-link.log.gz").path
        try FileManager.default.createSymbolicLink(atPath: treeLink, withDestinationPath: inTree)
        #expect(LogFileContext(path: treeLink).identityPath == "AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/20/f.log.gz")
        #expect(LogFileContext(path: treeLink, directories: directories).identityPath
            == "AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/20/f.log.gz")

        // A file that is gone is named by its absolute path, `.` and `..` removed; an S3 object
        // outside the layout by its URL.
        #expect(LogFileContext(path: "/tmp/./gone/../x.log").identityPath == "/tmp/x.log")
        #expect(LogFileContext(path: "/tmp/./gone/../x.log", directories: directories).identityPath == "/tmp/x.log")
        #expect(LogFileContext(path: "/x.log", directories: directories).identityPath == "/x.log")
        #expect(LogFileContext(path: "s3://bucket/exports/x.log").identityPath == "s3://bucket/exports/x.log")
    }

    @Test("A copy of a bucket in a folder named AWSLogs: the last AWSLogs folder is the layout's")
    func twoAWSLogsFolders() {
        let context = LogFileContext(path: "/home/me/AWSLogs/AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/20/x.log.gz")
        #expect(context.account == "111122223333" && context.service == "vpcflowlogs" && context.region == "us-east-1")
        #expect(context.folderDay == Timestamps.parse("2026-11-20"))
        #expect(context.identityPath == "AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/20/x.log.gz")
        #expect(LogFileContext(path: "s3://bucket/AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/20/x.log.gz").identityPath
            == context.identityPath, "the same identity as the object in S3")
    }

    @Test("Other layouts: digest, flow logs with an hour folder, names with seconds, and paths outside AWSLogs")
    func otherLayouts() {
        let digest = LogFileContext(path: "b/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/20/111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20261120T100512Z.json.gz")
        #expect(digest.service == "CloudTrail-Digest")
        #expect(digest.deliveredAt == Timestamps.parse("2026-11-20T10:05:12Z"))

        let hourly = LogFileContext(path: "AWSLogs/111122223333/vpcflowlogs/eu-west-1/2026/11/20/09/x.log.gz")
        #expect(hourly.service == "vpcflowlogs")
        #expect(hourly.folderDay == Timestamps.parse("2026-11-20"))
        #expect(hourly.deliveredAt == nil)

        let loose = LogFileContext(path: "/tmp/111122223333_CloudTrail_us-east-1_20261120T0905Z_abc.json.gz")
        #expect(loose.account == nil && loose.service == nil && loose.region == nil && loose.folderDay == nil)
        #expect(loose.deliveredAt == Timestamps.parse("2026-11-20T09:05:00Z"))
        #expect(loose.identityPath == "/tmp/111122223333_CloudTrail_us-east-1_20261120T0905Z_abc.json.gz")

        // Not an account: nothing is taken from the folders.
        let notAccount = LogFileContext(path: "AWSLogs/12345/CloudTrail/us-east-1/2026/11/20/f.json")
        #expect(notAccount.account == nil && notAccount.region == nil && notAccount.folderDay == nil)
        // The file name is never taken for a folder.
        let shallow = LogFileContext(path: "AWSLogs/111122223333/CloudTrail")
        #expect(shallow.account == "111122223333" && shallow.service == nil)
        // Impossible dates are not dates.
        #expect(LogFileContext(path: "x_20261320T0905Z_y.json").deliveredAt == nil)
        #expect(LogFileContext(path: "AWSLogs/111122223333/CloudTrail/us-east-1/2026/13/20/f.json").folderDay == nil)
        #expect(LogFileContext(path: "").deliveredAt == nil)
    }
}

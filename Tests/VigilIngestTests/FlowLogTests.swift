import Foundation
import Testing
import VigilIngest
import VigilJSON

/// AWS's own flow log examples (`../shared/corpus/vpcflow/aws-docs/flow-logs-records-examples.txt`,
/// copied from the "Flow log record examples" page), read at test time.
private enum FlowLogCorpus {
    static let examples: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // VigilIngestTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("../shared/corpus/vpcflow/aws-docs/flow-logs-records-examples.txt")
        .standardizedFileURL

    static var isPresent: Bool { FileManager.default.fileExists(atPath: examples.path) }

    /// The file's lines, without terminators.
    static func lines() throws -> [[UInt8]] {
        let data = try Data(contentsOf: examples)
        return Array(data).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
    }

    /// A run of lines read with one format: the default v2 one until a header line changes it.
    struct Section {
        var format: FlowLogFormat
        var records: [(line: [UInt8], json: String, facts: FlowRecordFacts)] = []
        var problems: [(line: [UInt8], reason: String)] = []
    }

    /// Reads the file as a flow log reader would (header lines switch the format; blank lines are
    /// skipped), with one writer reused for every line, and checks every object is valid JSON.
    static func sections() throws -> [Section] {
        var sections = [Section(format: .defaultV2)]
        var writer = FlowLogLineWriter()
        var detail: [UInt8] = []
        for line in try lines() {
            if let format = line.withUnsafeBytes({ FlowLogFormat(headerLine: $0) }) {
                sections.append(Section(format: format))
                continue
            }
            if line.withUnsafeBytes({ FlowLogLineWriter.isBlank($0) }) { continue }
            let format = sections[sections.count - 1].format
            do {
                let written = ObjectMemberIndex()
                let facts = try line.withUnsafeBytes {
                    try writer.writeDetail(of: $0, format: format, into: &detail, members: written)
                }
                let validated = ObjectMemberIndex()
                try detail.withUnsafeBytes { try JSONValidator.validate($0, members: validated) }
                #expect(memberLayout(written) == memberLayout(validated), "members noted while writing \(String(decoding: detail, as: UTF8.self))")
                sections[sections.count - 1].records.append((line, String(decoding: detail, as: UTF8.self), facts))
            } catch let problem as InputProblem {
                #expect(problem.kind == .malformedRecord)
                #expect(detail.isEmpty, "a refused line leaves detail empty")
                sections[sections.count - 1].problems.append((line, problem.reason))
            }
        }
        return sections
    }
}

/// Where each member of an indexed object lies: key range, whether escaped, value range.
func memberLayout(_ index: ObjectMemberIndex) -> [String] {
    (0..<index.count).map { member in
        let (key, escaped) = index.key(member)
        return "\(key) \(escaped) \(index.value(member))"
    }
}

/// Writes `line` with a fresh writer; the object is checked to be valid JSON.
private func render(_ line: [UInt8], _ format: FlowLogFormat = .defaultV2) -> Result<(json: String, facts: FlowRecordFacts), InputProblem> {
    var writer = FlowLogLineWriter()
    var detail: [UInt8] = [99, 99]  // replaced, not appended to
    do {
        let facts = try line.withUnsafeBytes { try writer.writeDetail(of: $0, format: format, into: &detail) }
        do {
            try JSONValidator.validate(detail)
        } catch {
            Issue.record("invalid JSON \(String(decoding: detail, as: UTF8.self)): \(error)")
        }
        return .success((String(decoding: detail, as: UTF8.self), facts))
    } catch {
        #expect(detail.isEmpty, "a refused line leaves detail empty")
        return .failure(error as! InputProblem)
    }
}

private func render(_ line: String, _ format: FlowLogFormat = .defaultV2) -> Result<(json: String, facts: FlowRecordFacts), InputProblem> {
    render(Array(line.utf8), format)
}

private func header(_ line: String) -> FlowLogFormat? {
    Array(line.utf8).withUnsafeBytes { FlowLogFormat(headerLine: $0) }
}

/// The text a facts range covers.
private func text(_ line: String, _ range: Range<Int>?) -> String? {
    range.map { String(decoding: Array(line.utf8)[$0], as: UTF8.self) }
}

private func json(_ result: Result<(json: String, facts: FlowRecordFacts), InputProblem>) -> String? {
    if case .success(let value) = result { return value.json }
    return nil
}

private func reason(_ result: Result<(json: String, facts: FlowRecordFacts), InputProblem>) -> String? {
    if case .failure(let problem) = result { return problem.reason }
    return nil
}

@Suite("VPC flow log records")
struct FlowLogTests {
    // MARK: AWS's examples

    @Test("AWS's example file: records and malformed lines per section",
          .enabled(if: FlowLogCorpus.isPresent, "../shared/corpus is not beside the package"))
    func corpusSections() throws {
        let sections = try FlowLogCorpus.sections()
        try #require(sections.count == 5)

        // Default v2 format, no header.
        #expect(sections[0].format == .defaultV2)
        #expect(sections[0].records.count == 7)
        #expect(sections[0].problems.isEmpty)

        // Custom v3 header (21 fields); one record has a double space between two fields.
        #expect(sections[1].format.fieldNames.count == 21)
        #expect(sections[1].format.fieldNames.first == "version")
        #expect(sections[1].records.count == 8)
        #expect(sections[1].problems.isEmpty)

        // `instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr`: the two lines with a
        // trailing `#comment` carry more tokens than the header names.
        #expect(sections[2].format.fieldNames == ["instance-id", "interface-id", "srcaddr", "dstaddr", "pkt-srcaddr", "pkt-dstaddr"])
        #expect(sections[2].records.count == 4)
        #expect(sections[2].problems.map(\.reason) == ["expected 6 fields, found 16", "expected 6 fields, found 17"])

        // Transit gateway v3 header (17 fields) with a `...` elision line.
        #expect(sections[3].format.fieldNames.count == 17)
        #expect(sections[3].records.count == 4)
        #expect(sections[3].problems.map(\.reason) == ["expected 17 fields, found 1"])
        #expect(sections[3].problems.map { String(decoding: $0.line, as: UTF8.self) } == ["..."])

        // v5 header (29 fields).
        #expect(sections[4].format.fieldNames.count == 29)
        #expect(sections[4].records.count == 2)
        #expect(sections[4].problems.isEmpty)
    }

    @Test("AWS's examples: exact objects for a v2 ACCEPT, a NODATA, an IPv6 and a v5 record",
          .enabled(if: FlowLogCorpus.isPresent, "../shared/corpus is not beside the package"))
    func corpusObjects() throws {
        let sections = try FlowLogCorpus.sections()
        try #require(sections.count == 5)
        let v2 = sections[0].records
        try #require(v2.count == 7)
        #expect(v2[0].json == #"{"version":2,"account-id":"123456789010","interface-id":"eni-1235b8ca123456789","srcaddr":"172.31.16.139","dstaddr":"172.31.16.21","srcport":20641,"dstport":22,"protocol":6,"packets":20,"bytes":4249,"start":1418530010,"end":1418530070,"action":"ACCEPT","log-status":"OK"}"#)
        #expect(v2[2].json == #"{"version":2,"account-id":"123456789010","interface-id":"eni-1235b8ca123456789","start":1431280876,"end":1431280934,"log-status":"NODATA"}"#)
        #expect(v2[3].json == #"{"version":2,"account-id":"123456789010","interface-id":"eni-11111111aaaaaaaaa","start":1431280876,"end":1431280934,"log-status":"SKIPDATA"}"#)
        #expect(v2[6].json == #"{"version":2,"account-id":"123456789010","interface-id":"eni-1235b8ca123456789","srcaddr":"2001:db8:1234:a100:8d6e:3477:df66:f105","dstaddr":"2001:db8:1234:a102:3304:8879:34cf:4071","srcport":34892,"dstport":22,"protocol":6,"packets":54,"bytes":8855,"start":1477913708,"end":1477913820,"action":"ACCEPT","log-status":"OK"}"#)

        let v5 = sections[4].records
        try #require(v5.count == 2)
        #expect(v5[0].json == #"{"version":5,"srcaddr":"52.95.128.179","dstaddr":"10.0.0.71","srcport":80,"dstport":34210,"protocol":6,"start":1616729292,"end":1616729349,"type":"IPv4","packets":14,"bytes":15044,"account-id":"123456789012","vpc-id":"vpc-abcdefab012345678","subnet-id":"subnet-aaaaaaaa012345678","instance-id":"i-0c50d5961bcb2d47b","interface-id":"eni-1235b8ca123456789","region":"ap-southeast-2","az-id":"apse2-az3","action":"ACCEPT","tcp-flags":19,"pkt-srcaddr":"52.95.128.179","pkt-dstaddr":"10.0.0.71","pkt-src-aws-service":"S3","flow-direction":"ingress","log-status":"OK"}"#)
        #expect(v5[1].json == #"{"version":5,"srcaddr":"10.0.0.71","dstaddr":"52.95.128.179","srcport":34210,"dstport":80,"protocol":6,"start":1616729292,"end":1616729349,"type":"IPv4","packets":7,"bytes":471,"account-id":"123456789012","vpc-id":"vpc-abcdefab012345678","subnet-id":"subnet-aaaaaaaa012345678","instance-id":"i-0c50d5961bcb2d47b","interface-id":"eni-1235b8ca123456789","region":"ap-southeast-2","az-id":"apse2-az3","action":"ACCEPT","tcp-flags":3,"pkt-srcaddr":"10.0.0.71","pkt-dstaddr":"52.95.128.179","pkt-dst-aws-service":"S3","traffic-path":8,"flow-direction":"egress","log-status":"OK"}"#)

        // The v5 record's facts point at its own bytes.
        let line = String(decoding: v5[0].line, as: UTF8.self)
        #expect(v5[0].facts.start == 1616729292)
        #expect(v5[0].facts.end == 1616729349)
        #expect(text(line, v5[0].facts.accountID) == "123456789012")
        #expect(text(line, v5[0].facts.region) == "ap-southeast-2")
        #expect(text(line, v5[0].facts.logStatus) == "OK")

        // The double space inside a v3 record changes nothing.
        let doubleSpaced = try #require(sections[1].records.last)
        #expect(doubleSpaced.json.contains(#""dstport":43638,"pkt-srcaddr":"10.0.0.62""#))
    }

    // MARK: Header detection

    @Test("header lines are recognized; data lines are not")
    func headerDetection() {
        #expect(header("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status") == .defaultV2)
        #expect(header("instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr")?.fieldNames.count == 6)
        #expect(header("version\tvpc-id  subnet-id\r")?.fieldNames == ["version", "vpc-id", "subnet-id"])
        #expect(header("\u{FEFF}version log-status")?.fieldNames == ["version", "log-status"])
        #expect(header("ecs-cluster-arn ecs-task-id reject-reason")?.fieldNames == ["ecs-cluster-arn", "ecs-task-id", "reject-reason"])

        // Data lines.
        #expect(header("2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK") == nil)
        #expect(header("- eni-1235b8ca123456789 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5") == nil)
        // Name-like values of a custom `instance-id interface-id` format: no token is a known field.
        #expect(header("i-0123456789abcdef0 eni-1235b8ca123456789") == nil)
        #expect(header("ap-southeast-2 apse2-az3 ingress") == nil)
        #expect(header("...") == nil)

        // Not headers for other reasons.
        #expect(header("") == nil)
        #expect(header("   ") == nil)
        #expect(header("version version") == nil, "a repeated name")
        #expect(header("Version account-id") == nil, "upper case")
        #expect(header("${version} ${account-id}") == nil, "a format string, not a header")
        #expect(header("version -account") == nil)
    }

    @Test("an unknown field in a header is kept, as a string")
    func unknownField() throws {
        let format = try #require(header("version future-field log-status"))
        #expect(format.fieldNames == ["version", "future-field", "log-status"])
        #expect(json(render("3 17 OK", format)) == #"{"version":3,"future-field":"17","log-status":"OK"}"#)
    }

    @Test("the members noted while writing are where a validator finds them, absent fields and escaped names included")
    func membersNotedWhileWriting() throws {
        let format = FlowLogFormat(fieldNames: ["version", "na\"me", "tcp-flags", "vpc-id", "log-status"])
        var writer = FlowLogLineWriter()
        var detail: [UInt8] = []
        let written = ObjectMemberIndex()
        _ = try Array("3 x\\y - vpc-1 OK".utf8).withUnsafeBytes {
            try writer.writeDetail(of: $0, format: format, into: &detail, members: written)
        }
        #expect(String(decoding: detail, as: UTF8.self) == #"{"version":3,"na\"me":"x\\y","vpc-id":"vpc-1","log-status":"OK"}"#)
        let validated = ObjectMemberIndex()
        try detail.withUnsafeBytes { try JSONValidator.validate($0, members: validated) }
        #expect(written.count == 4)
        #expect(memberLayout(written) == memberLayout(validated))
        #expect(written.key(1).isEscaped)
    }

    // MARK: Values

    @Test("a `-` value is an absent field")
    func dashIsAbsent() throws {
        let format = FlowLogFormat(fieldNames: ["version", "tcp-flags", "vpc-id", "log-status"])
        #expect(json(render("3 - - OK", format)) == #"{"version":3,"log-status":"OK"}"#)
        #expect(json(render("- - - -", format)) == "{}")
        #expect(json(render("3 -- -x OK", format)) == nil, "`--` is not `-`: tcp-flags must then be a number")
        #expect(json(render("3 2 -x OK", format)) == #"{"version":3,"tcp-flags":2,"vpc-id":"-x","log-status":"OK"}"#)
    }

    @Test("numbers are JSON numbers; a non-numeric value in a numeric field is malformed")
    func numbers() {
        let format = FlowLogFormat(fieldNames: ["version", "srcport", "bytes", "traffic-path"])
        #expect(json(render("02 0 007 1", format)) == #"{"version":2,"srcport":0,"bytes":7,"traffic-path":1}"#)
        #expect(json(render("2 0 123456789012345678901234567890 1", format)) == #"{"version":2,"srcport":0,"bytes":123456789012345678901234567890,"traffic-path":1}"#)

        let line = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22a 6 20 4249 1418530010 1418530070 ACCEPT OK"
        #expect(reason(render(line)) == #"field dstport is not an unsigned decimal integer: "22a""#)
        #expect(reason(render("x 0 0 0", format))?.contains("version") == true)
        #expect(reason(render("2 -1 0 0", format))?.contains("srcport") == true)
        #expect(reason(render("2 0 1.5 0", format))?.contains("bytes") == true)
        #expect(reason(render("2 0 0 1e3", format))?.contains("traffic-path") == true)
    }

    @Test("strings are escaped: quote, backslash, control characters; UTF-8 kept")
    func escaping() {
        let format = FlowLogFormat(fieldNames: ["version", "vpc-id"])
        #expect(json(render("2 a\"b\\c\u{01}d\u{1F}", format)) == #"{"version":2,"vpc-id":"a\"b\\c\u0001d\u001f"}"#)
        #expect(json(render("2 a\rb\u{0C}\u{08}\n", format)) == #"{"version":2,"vpc-id":"a\rb\f\b\n"}"#)
        #expect(json(render("2 \"", format)) == #"{"version":2,"vpc-id":"\""}"#)
        #expect(json(render("2 zürich-δ-🙂", format)) == #"{"version":2,"vpc-id":"zürich-δ-🙂"}"#)
        // A trailing \r is the line terminator's, not the value's.
        #expect(json(render("2 vpc-1\r", format)) == #"{"version":2,"vpc-id":"vpc-1"}"#)
    }

    @Test("invalid UTF-8 in a value is malformed", arguments: [
        [0xFF], [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
        [0xE2, 0x82], [0x80], [0xF0, 0x9F, 0x99],
    ] as [[UInt8]])
    func invalidUTF8(value: [UInt8]) {
        let format = FlowLogFormat(fieldNames: ["version", "vpc-id"])
        let result = render(Array("2 vpc".utf8) + value, format)
        #expect(reason(result)?.hasPrefix("field vpc-id is not valid UTF-8 (byte 0x") == true, "\(result)")
    }

    // MARK: Lines

    @Test("a line with a different number of fields is malformed")
    func fieldCount() {
        let v2 = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"
        #expect(reason(render(v2 + " extra")) == "expected 14 fields, found 15")
        #expect(reason(render("2 123456789010")) == "expected 14 fields, found 2")
        #expect(reason(render("x", FlowLogFormat(fieldNames: ["version", "vpc-id"]))) == "expected 2 fields, found 1")
        #expect(reason(render("a b", FlowLogFormat(fieldNames: ["vpc-id"]))) == "expected 1 field, found 2")
        // Leading and trailing blanks and tabs are separators, not empty fields.
        #expect(json(render("\t " + v2 + " \t\r")) != nil)
    }

    @Test("a blank line is not a record: isBlank says so, writeDetail throws")
    func blankLines() {
        for line in ["", " ", "\t \t", "\r", "  \r"] {
            #expect(Array(line.utf8).withUnsafeBytes { FlowLogLineWriter.isBlank($0) })
            #expect(reason(render(line)) == "blank line: not a flow log record")
        }
        #expect(!Array(" - ".utf8).withUnsafeBytes { FlowLogLineWriter.isBlank($0) })
        // Only a trailing \r is the terminator's; elsewhere it is a byte of a value.
        #expect(!Array(" \r ".utf8).withUnsafeBytes { FlowLogLineWriter.isBlank($0) })
        #expect(json(render(" \r ", FlowLogFormat(fieldNames: ["vpc-id"]))) == #"{"vpc-id":"\r"}"#)
    }

    @Test("one writer reused across lines of different formats and lengths")
    func reuse() throws {
        var writer = FlowLogLineWriter()
        var detail: [UInt8] = []
        let short = FlowLogFormat(fieldNames: ["vpc-id"])
        let lines: [(String, FlowLogFormat, String?)] = [
            ("2 123456789010 eni-1 - - - - - - - 1431280876 1431280934 - NODATA", .defaultV2,
             #"{"version":2,"account-id":"123456789010","interface-id":"eni-1","start":1431280876,"end":1431280934,"log-status":"NODATA"}"#),
            ("a b c", short, nil),
            ("vpc-9", short, #"{"vpc-id":"vpc-9"}"#),
        ]
        for (line, format, expected) in lines {
            do {
                _ = try Array(line.utf8).withUnsafeBytes { try writer.writeDetail(of: $0, format: format, into: &detail) }
                #expect(String(decoding: detail, as: UTF8.self) == expected)
            } catch {
                #expect(expected == nil, "\(error)")
            }
        }
    }

    // MARK: Facts

    @Test("facts: start, end, account, region, log status")
    func facts() throws {
        let v2 = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"
        let facts = try render(v2).get().facts
        #expect(facts.start == 1418530010)
        #expect(facts.end == 1418530070)
        #expect(text(v2, facts.accountID) == "123456789010")
        #expect(facts.region == nil, "the v2 format has no region")
        #expect(text(v2, facts.logStatus) == "OK")

        let unknown = "2 unknown eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA"
        let unknownFacts = try render(unknown).get().facts
        #expect(unknownFacts.accountID == nil, "account `unknown` is no account")
        #expect(json(render(unknown))?.contains(#""account-id":"unknown""#) == true, "but detail keeps it")
        #expect(text(unknown, unknownFacts.logStatus) == "NODATA")

        let format = FlowLogFormat(fieldNames: ["account-id", "region", "start", "end", "log-status"])
        #expect(try render("- - - - -", format).get().facts == FlowRecordFacts())
        let regional = "111122223333  eu-west-1 5 6 SKIPDATA"
        #expect(try render(regional, format).get().facts == FlowRecordFacts(start: 5, end: 6, accountID: 0..<12, region: 14..<23, logStatus: 28..<36))
        #expect(try render("x y 10 20 OK", FlowLogFormat(fieldNames: ["vpc-id", "subnet-id", "start", "end", "action"])).get().facts
                == FlowRecordFacts(start: 10, end: 20))

        #expect(reason(render("- - 99999999999999999999 1 OK", format)) == #"field start is out of range: "99999999999999999999""#)
    }
}

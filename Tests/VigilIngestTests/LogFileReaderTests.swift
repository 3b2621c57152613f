import Foundation
import Testing
@testable import VigilIngest
import VigilJSON

// `LogFileReader` over generated inputs: every format it recognizes by content, and bad input of
// each kind ARCHITECTURE.md's "Bad input and faults" names, each reported with where and skipped while
// the records around it still come through.

/// The UTF-8 offset of the first occurrence of `needle` in `text` (at or after `from`).
private func offset(of needle: String, in text: String, from: Int = 0) -> Int? {
    let haystack = Array(text.utf8)
    let pattern = Array(needle.utf8)
    guard !pattern.isEmpty, haystack.count >= pattern.count, from <= haystack.count - pattern.count else { return nil }
    for start in from...(haystack.count - pattern.count) where haystack[start..<(start + pattern.count)].elementsEqual(pattern) {
        return start
    }
    return nil
}

private let records = (0..<5).map { Fixture.cloudTrail($0) }

@Suite("LogFileReader: formats")
struct LogFileReaderFormatTests {
    @Test("{\"Records\":[…]} is streamed element by element, with exact bytes, ordinals and offsets")
    func recordsContainer() {
        let text = "{\"Records\":[\n  " + records.joined(separator: ",\n  ") + "\n]}\n"
        let result = Harness.read(text, name: "ct.json")
        #expect(result.problems.isEmpty)
        #expect(result.skips.isEmpty)
        #expect(result.texts == records)
        #expect(result.kinds == Array(repeating: .cloudTrail, count: 5))
        #expect(result.records.map(\.ordinal) == [0, 1, 2, 3, 4])
        #expect(result.records.map(\.decodedOffset) == records.map { offset(of: $0, in: text)! })
    }

    @Test("Records streamed through a window refill: many records, each exact")
    func recordsAcrossRefills() {
        let many = (0..<2000).map { Fixture.cloudTrail($0) }  // ≈ 1.3 MB, several 256 KiB reads
        let text = #"{"Records":["# + many.joined(separator: ",") + "]}"
        let result = Harness.read(text)
        #expect(result.problems.isEmpty)
        #expect(result.texts == many)
        #expect(result.records.last?.decodedOffset == offset(of: many.last!, in: text))
    }

    @Test("A bare array of records")
    func bareArray() {
        let text = "[" + records.joined(separator: ", ") + "]"
        let result = Harness.read(text)
        #expect(result.problems.isEmpty)
        #expect(result.texts == records)
        #expect(Harness.read("[]").records.isEmpty)
        #expect(Harness.read("[]").problems.isEmpty)
    }

    @Test("JSON Lines, mixing CloudTrail records, GuardDuty findings and EventBridge events")
    func jsonLines() {
        let lines = [records[0], Fixture.finding(1), Fixture.guardDutyEvent(2), records[3]]
        let text = lines.joined(separator: "\n") + "\n\n"
        let result = Harness.read(text)
        #expect(result.problems.isEmpty)
        #expect(result.texts == lines)
        #expect(result.kinds == [.cloudTrail, .guardDutyFinding, .eventBridgeEvent, .cloudTrail])
        #expect(result.records.map(\.decodedOffset) == lines.map { offset(of: $0, in: text)! })
        // Without a final newline, the last line is still a record.
        #expect(Harness.read(lines.joined(separator: "\n")).texts == lines)
    }

    @Test("Pretty-printed objects, one after another")
    func prettyConcatenated() {
        let objects = [Fixture.pretty(records[0]), Fixture.pretty(Fixture.finding(7)), Fixture.pretty(records[2])]
        let text = objects.joined(separator: "\n")
        #expect(text.split(separator: "\n").count > 20)
        let result = Harness.read(text)
        #expect(result.problems.isEmpty)
        #expect(result.texts == objects)
        #expect(result.kinds == [.cloudTrail, .guardDutyFinding, .cloudTrail])
        // Back to back with no separator at all.
        #expect(Harness.read(objects.joined()).texts == objects)
    }

    @Test("A single pretty-printed record (as the AWS docs show one)")
    func singlePretty() {
        let result = Harness.read(Fixture.pretty(records[1]) + "\n")
        #expect(result.kinds == [.cloudTrail])
        #expect(result.problems.isEmpty)
    }

    @Test("`aws cloudtrail lookup-events` output: the CloudTrailEvent strings are the records")
    func lookupEvents() throws {
        let entries = records.prefix(3).enumerated().map { index, record in
            #"{"EventId":"\#(Fixture.eventID(index))","EventName":"GetObject","ReadOnly":"true","#
                + #""EventTime":"2026-11-20T09:00:0\#(index)+00:00","EventSource":"s3.amazonaws.com","#
                + #""Resources":[],"CloudTrailEvent":\#(JSONText.quoted(record))}"#
        }
        let text = #"{"Events":["# + entries.joined(separator: ",") + #"],"NextToken":"x"}"#
        let result = Harness.read(text)
        #expect(result.problems.isEmpty)
        #expect(result.texts == Array(records.prefix(3)))
        #expect(result.kinds == [.cloudTrail, .cloudTrail, .cloudTrail])
        #expect(result.records.map(\.ordinal) == [0, 1, 2])
        // Pretty-printed, as the CLI prints it by default.
        let pretty = Harness.read(Fixture.pretty(text))
        #expect(pretty.problems.isEmpty)
        #expect(pretty.records.count == 3)
        let normalized = Harness.normalize(pretty.records, path: "lookup.json")
        #expect(normalized.envelopes.map { $0.detail?["eventID"] as? String } == (0..<3).map { Fixture.eventID($0) })
    }

    @Test("`aws guardduty get-findings` output: {\"Findings\":[…]}")
    func getFindings() {
        let findings = (0..<3).map { Fixture.finding($0) }
        let result = Harness.read(#"{"Findings":["# + findings.joined(separator: ",") + "]}")
        #expect(result.problems.isEmpty)
        #expect(result.texts == findings)
        #expect(result.kinds == [.guardDutyFinding, .guardDutyFinding, .guardDutyFinding])
        let pretty = Harness.read(Fixture.pretty(#"{"Findings":["# + findings.joined(separator: ",") + "]}"))
        #expect(pretty.records.count == 3)
        #expect(pretty.problems.isEmpty)
    }

    @Test("EventBridge GuardDuty Finding events in JSON Lines pass through")
    func eventBridgeJSONLines() throws {
        let events = (0..<4).map { Fixture.guardDutyEvent($0) }
        let result = Harness.read(events.joined(separator: "\n") + "\n")
        #expect(result.kinds == Array(repeating: .eventBridgeEvent, count: 4))
        let normalized = Harness.normalize(result.records, path: "events.jsonl")
        #expect(normalized.refused.isEmpty)
        #expect(normalized.envelopes.map(\.text) == events)
        #expect(normalized.envelopes.first?["id"] == "c8c4daa7-a20c-2f03-0070-b7393dd542a0")
        #expect(normalized.envelopes.first?["detail-type"] == "GuardDuty Finding")
    }

    @Test("CloudWatch Logs {\"awslogs\":{\"data\":…}} carrying CloudTrail records")
    func awslogsCloudTrail() throws {
        let payload = Harness.subscriptionPayload(messages: Array(records.prefix(3)))
        let text = #"{"awslogs":{"data":"\#(Harness.base64Gzip(payload))"}}"#
        let result = Harness.read(text, name: "lambda.json")
        #expect(result.problems.isEmpty)
        #expect(result.texts == Array(records.prefix(3)))
        #expect(result.kinds == [.cloudTrail, .cloudTrail, .cloudTrail])
        #expect(result.records.map(\.ordinal) == [0, 1, 2])
        // Offsets point into the file (at the payload), not past its end.
        #expect(result.records.allSatisfy { $0.decodedOffset >= 0 && $0.decodedOffset < text.utf8.count })
    }

    @Test("CloudWatch Logs {\"awslogs\":…} carrying v2 flow lines: default format, owner as account")
    func awslogsFlow() throws {
        let lines = (0..<3).map { Fixture.flowLine($0) }
        let payload = Harness.subscriptionPayload(messages: lines, owner: "444455556666")
        let result = Harness.read(#"{"awslogs":{"data":"\#(Harness.base64Gzip(payload))"}}"#)
        #expect(result.problems.isEmpty)
        #expect(result.texts == lines)
        #expect(result.records.allSatisfy { $0.kind == .flowLog && $0.flowFormat == .defaultV2 && $0.ownerAccount == "444455556666" })
        // The line's own account-id wins; `unknown` falls back to the owner.
        let unknown = Fixture.flowLine(9).replacingOccurrences(of: "111122223333", with: "unknown")
        let fallback = Harness.read(#"{"awslogs":{"data":"\#(Harness.base64Gzip(Harness.subscriptionPayload(messages: [unknown])))"}}"#)
        let envelopes = Harness.normalize(result.records + fallback.records, path: "stream").envelopes
        #expect(envelopes.map { $0["account"] } == ["111122223333", "111122223333", "111122223333", "444455556666"])
    }

    @Test("A file of base64 payloads, one per line: records, flow lines, and a CONTROL_MESSAGE skipped")
    func base64Lines() {
        let control = Harness.subscriptionPayload(messages: ["CWL CONTROL MESSAGE: Checking health of destination Firehose."],
                                                  messageType: "CONTROL_MESSAGE")
        let lines = [
            Harness.base64Gzip(control),
            Harness.base64Gzip(Harness.subscriptionPayload(messages: [records[0], records[1]])),
            Harness.base64Gzip(Harness.subscriptionPayload(messages: [Fixture.flowLine(1), Fixture.flowLine(2)])),
        ]
        let result = Harness.read(lines.joined(separator: "\n") + "\n", name: "firehose.txt")
        #expect(result.problems.isEmpty)
        #expect(result.skips == [.controlMessage])
        #expect(result.kinds == [.cloudTrail, .cloudTrail, .flowLog, .flowLog])
        #expect(result.texts == [records[0], records[1], Fixture.flowLine(1), Fixture.flowLine(2)])
        #expect(result.events.first == .skip(.controlMessage))
        // The same payloads in a gzipped file of base64 lines, with CRLF line ends.
        let gzipped = Harness.read(Harness.gzip(Array((lines.joined(separator: "\r\n") + "\r\n").utf8)))
        #expect(gzipped.texts == result.texts)
        #expect(gzipped.problems.isEmpty)
    }

    @Test("A UTF-8 byte order mark is not content", arguments: ["records", "lines", "flow", "array"])
    func byteOrderMark(shape: String) {
        let body: String
        let expected: [String]
        switch shape {
        case "records": body = #"{"Records":["# + records.joined(separator: ",") + "]}"; expected = records
        case "lines": body = records.joined(separator: "\n"); expected = records
        case "array": body = "[" + records.joined(separator: ",") + "]"; expected = records
        default:
            expected = (0..<3).map { Fixture.flowLine($0) }
            body = expected.joined(separator: "\n")
        }
        let result = Harness.read([0xEF, 0xBB, 0xBF] + Array(body.utf8))
        #expect(result.problems.isEmpty)
        #expect(result.texts == expected)
    }

    @Test("CRLF line endings: JSON Lines and flow logs, with and without a header")
    func crlf() {
        let jsonLines = Harness.read(records.joined(separator: "\r\n") + "\r\n")
        #expect(jsonLines.problems.isEmpty)
        #expect(jsonLines.texts == records)

        let flow = (0..<3).map { Fixture.flowLine($0) }
        let plain = Harness.read(flow.joined(separator: "\r\n") + "\r\n")
        #expect(plain.problems.isEmpty)
        #expect(plain.texts == flow)
        let withHeader = Harness.read(([Fixture.v5Header] + [Fixture.v5Line(1), Fixture.v5Line(2)]).joined(separator: "\r\n") + "\r\n")
        #expect(withHeader.problems.isEmpty)
        #expect(withHeader.texts == [Fixture.v5Line(1), Fixture.v5Line(2)])
        #expect(withHeader.records.first?.flowFormat?.fieldNames.count == 29)
    }

    @Test("A flow log without a header is the default v2 format")
    func flowWithoutHeader() {
        let lines = (0..<4).map { Fixture.flowLine($0, action: $0 % 2 == 0 ? "ACCEPT" : "REJECT") }
        let text = lines.joined(separator: "\n") + "\n"
        let result = Harness.read(text, name: "eni.log")
        #expect(result.problems.isEmpty)
        #expect(result.texts == lines)
        #expect(result.records.allSatisfy { $0.kind == .flowLog && $0.flowFormat == .defaultV2 })
        #expect(result.records.map(\.decodedOffset) == lines.map { offset(of: $0, in: text)! })
        #expect(result.records.map(\.ordinal) == [0, 1, 2, 3])
    }

    @Test("A flow log with a v5 header, gzipped as S3 delivers it")
    func flowV5Header() throws {
        let text = Fixture.v5Header + "\n" + Fixture.v5Line(1) + "\n" + Fixture.v5Line(2) + "\n"
        let result = Harness.read(Harness.gzip(Array(text.utf8)))
        #expect(result.problems.isEmpty)
        #expect(result.texts == [Fixture.v5Line(1), Fixture.v5Line(2)])
        let format = try #require(result.records.first?.flowFormat)
        #expect(format.fieldNames.first == "version")
        #expect(format.fieldNames.last == "traffic-path")
        // The header is not a record: ordinals count records only.
        #expect(result.records.map(\.ordinal) == [0, 1])
    }

    @Test("Text that is no known format is reported as unknown format, once")
    func unknownText() {
        let result = Harness.read("Hello, this is a README.\nNothing to see here.\n", name: "README.txt")
        #expect(result.records.isEmpty)
        #expect(result.problems.map(\.kind) == [.unknownFormat])
        #expect(result.problems.first?.path == "README.txt")
        #expect(result.problems.first?.offset == 0)
        // A CSV export is not a flow log either.
        let csv = Harness.read("eventTime,eventName\n2026-11-20T09:00:00Z,GetObject\n")
        #expect(csv.problems.map(\.kind) == [.unknownFormat])
        #expect(csv.records.isEmpty)
    }
}

@Suite("LogFileReader: bad input")
struct LogFileReaderBadInputTests {
    static let small = ReaderLimits(maximumRecordSize: 4096)

    // MARK: Compression

    @Test("A truncated gzip file: the records before the damage, then corrupt compression at the cut",
          arguments: ["lines", "records", "flow"])
    func truncatedGzip(shape: String) throws {
        let count = 3000
        let texts = shape == "flow" ? (0..<count).map { Fixture.flowLine($0) } : (0..<count).map { Fixture.cloudTrail($0) }
        let body = shape == "records" ? #"{"Records":["# + texts.joined(separator: ",") + "]}" : texts.joined(separator: "\n") + "\n"
        let compressed = Harness.gzip(Array(body.utf8))
        let cut = compressed.count / 2
        try Harness.withDirectory { directory in
            let path = try Harness.write(Array(compressed[..<cut]), to: directory, name: "cut.json.gz")
            let result = try Harness.read(path: path)
            #expect(result.records.count > 100)
            #expect(result.records.count < count)
            // Only whole records, each exactly as written, in order from the first.
            #expect(result.texts == Array(texts.prefix(result.records.count)))
            // One problem: the damage, reported after every record before it; no half record.
            #expect(result.problems.map(\.kind) == [.corruptCompression])
            let problem = try #require(result.problems.last)
            #expect(problem.path == path)
            #expect(problem.offset == cut)
            #expect(problem.offsetSpace == .file)
            #expect(result.events.last == .problem(.corruptCompression))
        }
    }

    @Test("A corrupt byte inside a gzip file is reported as corrupt compression; earlier records come through")
    func corruptGzip() throws {
        let texts = (0..<3000).map { Fixture.cloudTrail($0) }
        var compressed = Harness.gzip(Array((texts.joined(separator: "\n") + "\n").utf8))
        compressed[compressed.count * 2 / 3] ^= 0xFF
        compressed[compressed.count * 2 / 3 + 1] ^= 0xFF
        let result = Harness.read(compressed, name: "bad.json.gz")
        let problem = try #require(result.problems.last)
        #expect(problem.kind == .corruptCompression)
        #expect(problem.path == "bad.json.gz")
        #expect(problem.offsetSpace == .file)
        #expect((problem.offset ?? -1) > 0 && (problem.offset ?? .max) <= compressed.count)
        #expect(result.records.count > 0)
        // zlib may emit damaged bytes for a while before it notices (here the deflate data stays
        // decodable and only the trailer's CRC-32 tells): the lines garbled on the way are reported
        // one by one, and what is delivered as records is still the undamaged prefix.
        #expect(texts.starts(with: result.texts))
        #expect(result.problems.dropLast().allSatisfy { $0.kind == .malformedRecord || $0.kind == .unrecognizedRecord },
                "\(result.problems)")
        // Not gzip at all after the magic.
        let garbage = Harness.read([0x1f, 0x8b] + Array("not really gzip data".utf8), name: "fake.gz")
        #expect(garbage.records.isEmpty)
        #expect(garbage.problems.map(\.kind) == [.corruptCompression])
    }

    @Test("A failed gzip checksum says that the records decoded before it were read")
    func checksumFailureSaysRecordsWereRead() throws {
        let texts = (0..<1500).map { Fixture.cloudTrail($0) }
        var compressed = Harness.gzip(Array((texts.joined(separator: "\n") + "\n").utf8))
        compressed[compressed.count - 6] ^= 0x01  // in the trailer's CRC-32
        let result = Harness.read(compressed, name: "crc.json.gz")
        #expect(result.texts == texts)
        let problem = try #require(result.problems.last)
        #expect(result.problems.count == 1)
        #expect(problem.kind == .corruptCompression)
        #expect(problem.reason == "corrupt gzip data: incorrect data check; the 1,500 records before it were read")
    }

    // MARK: Malformed records

    @Test("Malformed JSON in one record of a Records array: reported with offset and ordinal; neighbours intact")
    func malformedInRecordsArray() throws {
        let bad = #"{"eventVersion":"1.08","eventTime":"2026-11-20T09:00:00Z",,"eventSource":"s3.amazonaws.com"}"#
        let text = #"{"Records":["# + [records[0], bad, records[2], records[3]].joined(separator: ",") + "]}"
        let result = Harness.read(text, name: "ct.json")
        #expect(result.texts == [records[0], records[2], records[3]])
        #expect(result.records.map(\.ordinal) == [0, 2, 3])
        let problem = try #require(result.problems.first)
        #expect(result.problems.count == 1)
        #expect(problem.kind == .malformedRecord)
        #expect(problem.path == "ct.json")
        #expect(problem.record == 1)
        #expect(problem.offset == offset(of: ",,", in: text)! + 1)
        #expect(problem.offsetSpace == .decoded)
    }

    @Test("Malformed JSON on one line of JSON Lines: reported; the next lines read")
    func malformedInJSONLines() throws {
        let bad = #"{"eventVersion":"1.08","eventTime":"2026-11-20T09:00:00Z","eventName":tru}"#
        let text = [records[0], bad, records[2]].joined(separator: "\n") + "\n"
        let result = Harness.read(text, name: "ct.jsonl")
        #expect(result.texts == [records[0], records[2]])
        #expect(result.records.map(\.ordinal) == [0, 2])
        let problem = try #require(result.problems.first)
        #expect(result.problems.count == 1)
        #expect(problem.kind == .malformedRecord)
        #expect(problem.record == 1)
        let lineStart = try #require(offset(of: bad, in: text))
        #expect((lineStart..<(lineStart + bad.utf8.count)).contains(problem.offset ?? -1))
    }

    @Test("Invalid UTF-8 inside a string is malformed, in an array and on a line")
    func invalidUTF8() throws {
        let before = Array(#"{"eventVersion":"1.08","eventTime":"2026-11-20T09:00:00Z","eventSource":"s3.amazonaws.com","userAgent":"bad "#.utf8)
        let bad = before + [0xC3, 0x28] + Array(#""}"#.utf8)
        let array = Array(#"{"Records":["#.utf8) + Array(records[0].utf8) + [UInt8(ascii: ",")] + bad
            + [UInt8(ascii: ",")] + Array(records[1].utf8) + Array("]}".utf8)
        let inArray = Harness.read(array)
        #expect(inArray.texts == [records[0], records[1]])
        #expect(inArray.problems.map(\.kind) == [.malformedRecord])
        #expect(inArray.problems.first?.reason == "Invalid UTF-8")
        #expect(inArray.problems.first?.offset == Array(#"{"Records":["#.utf8).count + records[0].utf8.count + 1 + before.count)

        let lines = Array(records[0].utf8) + [0x0A] + bad + [0x0A] + Array(records[1].utf8) + [0x0A]
        let onLine = Harness.read(lines)
        #expect(onLine.texts == [records[0], records[1]])
        #expect(onLine.problems.map(\.kind) == [.malformedRecord])
        #expect(onLine.problems.first?.record == 1)
        // An overlong encoding and a lone surrogate's UTF-8 form are invalid too.
        for sequence: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFF]] {
            let line = before + sequence + Array(#""}"#.utf8)
            #expect(Harness.read(line).problems.map(\.kind) == [.malformedRecord], "\(sequence)")
        }
    }

    @Test("Non-object elements of a records array are reported one by one; the objects still come through")
    func nonObjectElements() {
        let text = "[" + [records[0], "1", #""a string, with ] and , inside""#, "null", "[1,2,[3]]", #"{"nested":[]}"#, "true", records[1]]
            .joined(separator: ", ") + "]"
        let result = Harness.read(text)
        #expect(result.texts == [records[0], records[1]])
        #expect(result.records.map(\.ordinal) == [0, 7])
        #expect(result.problems.map(\.kind) == Array(repeating: .unrecognizedRecord, count: 6))
        #expect(result.problems.map(\.record) == [1, 2, 3, 4, 5, 6])
        #expect(result.problems.first?.offset == offset(of: ", 1,", in: text)! + 2)
        // The same inside a Records container.
        let container = Harness.read(#"{"Records":["# + records[0] + #",42,["x"],"# + records[1] + "]}")
        #expect(container.texts == [records[0], records[1]])
        #expect(container.problems.map(\.record) == [1, 2])
    }

    @Test("A missing comma or a stray comma in the records array is reported; reading goes on")
    func arraySyntax() {
        let missing = Harness.read(#"{"Records":["# + records[0] + " " + records[1] + "," + records[2] + "]}")
        #expect(missing.texts == [records[0], records[1], records[2]])
        #expect(missing.problems.map(\.kind) == [.malformedRecord])
        let stray = Harness.read("[" + records[0] + ",," + records[1] + "]")
        #expect(stray.texts == [records[0], records[1]])
        #expect(stray.problems.map(\.kind) == [.malformedRecord])
        #expect(stray.problems.first?.offset == records[0].utf8.count + 2)
        // A trailing comma before the close, and junk between records.
        let trailing = Harness.read(#"{"Records":["# + records[0] + ",]}")
        #expect(trailing.texts == [records[0]])
        #expect(trailing.problems.map(\.kind) == [.malformedRecord])
        let junk = Harness.read("[" + records[0] + " junk, " + records[1] + "]")
        #expect(junk.texts == [records[0], records[1]])
        #expect(junk.problems.map(\.kind) == [.malformedRecord])
        // Both in one array, and the array still ends where it should: what follows is read.
        let both = Harness.read(#"{"Records":["# + records[0] + ",," + records[1] + " " + records[2] + "]}\n" + records[3] + "\n")
        #expect(both.texts == [records[0], records[1], records[2], records[3]])
        #expect(both.problems.map(\.kind) == [.malformedRecord, .malformedRecord])
    }

    // MARK: Limits

    @Test("A record over the size limit in a Records array is reported and skipped; the next is read")
    func oversizedInRecords() throws {
        let big = Fixture.cloudTrail(1, padding: 10_000)
        let text = #"{"Records":["# + [records[0], big, records[2]].joined(separator: ",") + "]}"
        let result = Harness.read(text, name: "ct.json", limits: Self.small)
        #expect(result.texts == [records[0], records[2]])
        #expect(result.records.map(\.ordinal) == [0, 2])
        let problem = try #require(result.problems.first)
        #expect(result.problems.count == 1)
        #expect(problem.kind == .oversizedRecord)
        #expect(problem.record == 1)
        #expect(problem.offset == offset(of: big, in: text))
        // Much larger than the window's read size: the record's bytes are dropped as they pass.
        let huge = Fixture.cloudTrail(1, padding: 3_000_000)
        let hugeResult = Harness.read(#"{"Records":["# + [records[0], huge, records[2]].joined(separator: ",") + "]}", limits: Self.small)
        #expect(hugeResult.texts == [records[0], records[2]])
        #expect(hugeResult.problems.map(\.kind) == [.oversizedRecord])
        // At the limit is accepted.
        let exact = Harness.read("[" + big + "]", limits: ReaderLimits(maximumRecordSize: big.utf8.count))
        #expect(exact.texts == [big])
    }

    @Test("A line over the size limit in JSON Lines is reported and skipped; the next line is read")
    func oversizedInJSONLines() throws {
        let big = Fixture.cloudTrail(1, padding: 10_000)
        let text = [records[0], big, records[2]].joined(separator: "\n") + "\n"
        let result = Harness.read(text, limits: Self.small)
        #expect(result.texts == [records[0], records[2]])
        #expect(result.records.map(\.ordinal) == [0, 2])
        #expect(result.problems.map(\.kind) == [.oversizedRecord])
        #expect(result.problems.first?.record == 1)
        #expect(result.problems.first?.offset == offset(of: big, in: text))
        // An oversized first line: still JSON Lines, still one problem.
        let first = Harness.read([big, records[2]].joined(separator: "\n") + "\n", limits: Self.small)
        #expect(first.texts == [records[2]])
        #expect(first.problems.map(\.kind) == [.oversizedRecord])
    }

    @Test("A line over the size limit in a flow log is reported and skipped; the next line is read")
    func oversizedFlowLine() throws {
        let long = Fixture.flowLine(1).replacingOccurrences(of: "eni-0a1b2c3d4e5f60718", with: "eni-" + String(repeating: "f", count: 6000))
        let lines = [Fixture.flowLine(0), long, Fixture.flowLine(2)]
        let text = lines.joined(separator: "\n") + "\n"
        let result = Harness.read(text, name: "eni.log", limits: Self.small)
        #expect(result.texts == [Fixture.flowLine(0), Fixture.flowLine(2)])
        #expect(result.records.map(\.ordinal) == [0, 2])
        #expect(result.problems.map(\.kind) == [.oversizedRecord])
        #expect(result.problems.first?.record == 1)
        #expect(result.problems.first?.offset == offset(of: long, in: text))
    }

    @Test("Nesting deeper than the depth limit is reported as too deep, in an array and on a line")
    func tooDeep() throws {
        let limits = ReaderLimits(maximumDepth: 8)
        let deep = #"{"eventVersion":"1.08","eventTime":"2026-11-20T09:00:00Z","eventSource":"s3.amazonaws.com","a":"#
            + String(repeating: "[", count: 12) + String(repeating: "]", count: 12) + "}"
        let inArray = Harness.read("[" + [records[0], deep, records[1]].joined(separator: ",") + "]", limits: limits)
        #expect(inArray.texts == [records[0], records[1]])
        #expect(inArray.problems.map(\.kind) == [.tooDeep])
        #expect(inArray.problems.first?.record == 1)
        #expect(inArray.problems.first?.offset == records[0].utf8.count + 2)
        let onLine = Harness.read([records[0], deep, records[1]].joined(separator: "\n"), limits: limits)
        #expect(onLine.texts == [records[0], records[1]])
        #expect(onLine.problems.map(\.kind) == [.tooDeep])
        #expect(onLine.problems.first?.record == 1)
        // At the limit (the record itself is level 1) is accepted.
        let atLimit = #"{"a":"# + String(repeating: "[", count: 7) + String(repeating: "]", count: 7) + #","eventVersion":"1.0","eventTime":"2026-11-20T09:00:00Z","eventSource":"s3.amazonaws.com"}"#
        #expect(Harness.read("[" + atLimit + "]", limits: limits).kinds == [.cloudTrail])
        #expect(Harness.read(atLimit + "\n", limits: limits).kinds == [.cloudTrail])
        // Very deep input with the default limit does not exhaust the stack.
        let abyss = #"{"a":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(Harness.read("[" + abyss + "]").problems.map(\.kind) == [.tooDeep])
        #expect(Harness.read(abyss + "\n").problems.map(\.kind) == [.tooDeep])
    }

    // MARK: Empty and incomplete files

    @Test("Empty files are skipped as empty: zero bytes, whitespace only, an empty gzip member")
    func emptyFiles() throws {
        try Harness.withDirectory { directory in
            let zero = try Harness.write([], to: directory, name: "zero.json")
            let result = try Harness.read(path: zero)
            #expect(result.skips == [.emptyFile])
            #expect(result.problems.isEmpty && result.records.isEmpty)
        }
        for bytes: [UInt8] in [Array(" \n\t\r\n  ".utf8), Harness.gzip([]), Harness.gzip(Array("\n\n".utf8)),
                               [0xEF, 0xBB, 0xBF], [0xEF, 0xBB, 0xBF, 0x0A]] {
            let result = Harness.read(bytes)
            #expect(result.skips == [.emptyFile], "\(bytes.count) bytes")
            #expect(result.problems.isEmpty)
            #expect(result.records.isEmpty)
        }
    }

    @Test("A file that ends inside the Records array: the records before, then one problem")
    func endsInsideArray() throws {
        let complete = #"{"Records":["# + records[0] + "," + records[1]
        let betweenRecords = Harness.read(complete, name: "short.json")
        #expect(betweenRecords.texts == [records[0], records[1]])
        #expect(betweenRecords.problems.map(\.kind) == [.malformedRecord])
        #expect(betweenRecords.problems.first?.reason == "The input ends inside the array of records")
        #expect(betweenRecords.problems.first?.offset == complete.utf8.count)

        let insideRecord = complete + "," + String(records[2].prefix(60))
        let cut = Harness.read(insideRecord, name: "short.json")
        #expect(cut.texts == [records[0], records[1]])
        #expect(cut.problems.map(\.kind) == [.malformedRecord])
        #expect(cut.problems.first?.reason == "The input ends inside a record")
        #expect(cut.problems.first?.record == 2)
        #expect(cut.problems.first?.offset == complete.utf8.count + 1)

        let pretty = Harness.read(Fixture.pretty(records[0]) + "\n" + String(Fixture.pretty(records[1]).prefix(100)))
        #expect(pretty.texts == [Fixture.pretty(records[0])])
        #expect(pretty.problems.map(\.kind) == [.malformedRecord])
    }

    @Test("Whatever follows a container's array is read too: concatenated CloudTrail files and lookup-events pages")
    func afterTheContainer() {
        // `cat a.json b.json`, or two CloudTrail objects in one multi-member gzip file.
        let two = #"{"Records":["# + records[0] + "," + records[1] + "]}\n" + #"{"Records":["# + records[2] + "]}\n"
        let plain = Harness.read(two)
        #expect(plain.texts == [records[0], records[1], records[2]])
        #expect(plain.problems.isEmpty)
        #expect(plain.records.map(\.ordinal) == [0, 1, 2])
        let members = Harness.gzip(Array((#"{"Records":["# + records[0] + "]}").utf8))
            + Harness.gzip(Array((#"{"Records":["# + records[1] + "]}").utf8))
        #expect(Harness.read(members).texts == [records[0], records[1]])

        // Two pages of `lookup-events`, the first with its NextToken.
        func page(_ record: String, token: String?) -> String {
            #"{"Events":[{"EventId":"e","CloudTrailEvent":\#(JSONText.quoted(record))}]"#
                + (token.map { #","NextToken":"\#($0)""# } ?? "") + "}"
        }
        let pages = Harness.read(page(records[0], token: "abc") + "\n" + page(records[1], token: nil) + "\n")
        #expect(pages.texts == [records[0], records[1]])
        #expect(pages.problems.isEmpty)

        // Members after the array in the container object hold no records and are not reported.
        let trailing = Harness.read(#"{"Records":["# + records[0] + #"],"NextToken":"x","Other":{"a":[1,"]}"]}}"#)
        #expect(trailing.texts == [records[0]])
        #expect(trailing.problems.isEmpty)

        // A second array of records under the same key (or another container's) is read too.
        let twice = Harness.read(#"{"Records":["# + records[0] + #"], "Records" : ["# + records[1] + #"],"NextToken":"x"}"#)
        #expect(twice.texts == [records[0], records[1]])
        #expect(twice.problems.isEmpty)

        // Garbage after the container is reported, not silently dropped.
        let garbage = Harness.read(#"{"Records":["# + records[0] + "]} trailing garbage\n")
        #expect(garbage.texts == [records[0]])
        #expect(garbage.problems.map(\.kind) == [.malformedRecord])
    }

    // MARK: Memory

    @Test("Reading ~30 MB of records with a 1 MiB limit keeps the window to a few MB")
    func boundedWindow() throws {
        // Now and then a record close to the limit, which the window must grow for and then give back.
        let (body, records, bigRecords) = Fixture.largeCloudTrailFile(atLeast: 30 << 20, bigEvery: 5000)
        try Harness.withDirectory { directory in
            let path = try Harness.write(body, to: directory, name: "big.json")
            let reader = LogFileReader(input: try DecodedInput(path: path), limits: ReaderLimits(maximumRecordSize: 1 << 20))
            let window = reader.window
            let (collector, largest) = Harness.readNotingLargestWindow(reader)
            #expect(collector.problems.isEmpty)
            #expect(collector.recordCount == records)
            #expect(bigRecords >= 4)
            // 30 MB read through a window that never held more than a few MB…
            #expect(largest <= 4 << 20, "window grew to \(largest) bytes")
            // …and gave back what the large records needed.
            #expect(window.capacity <= 1 << 20, "window ended at \(window.capacity) bytes")
        }
    }
}

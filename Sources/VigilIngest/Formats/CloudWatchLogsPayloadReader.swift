#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import VigilJSON

/// CloudWatch Logs subscription payloads: what a subscription filter sends to Lambda, Kinesis or
/// Firehose — base64 of gzip of `{"messageType":…,"owner":…,"logEvents":[{"message":…}…]}` —
/// carrying CloudTrail records, flow log lines or database log lines (RDS's `/aws/rds/…` log
/// groups: audit, PostgreSQL, error, general and slow query logs) as the events' messages.
///
/// They come as a file of base64 lines (this reader's form), as Lambda's `{"awslogs":{"data":"…"}}`,
/// or decoded (objects the classifier recognizes in any JSON form). Control messages (CloudWatch
/// Logs checking that the destination is reachable) are dropped and counted.
enum CloudWatchLogsPayloadReader: LogFormatReader {
    /// Base64 of gzip: a gzip stream's magic bytes and method (`1f 8b 08`) encode as `H4sI`.
    static func recognizes(_ reader: LogFileReader) -> Bool {
        reader.window.bytes[reader.position] == UInt8(ascii: "H") && reader.ensure(4)
            && reader.window.bytes[reader.position..<(reader.position + 4)].elementsEqual("H4sI".utf8)
    }

    /// A file of base64 payloads, one per line.
    static func read<Visitor: RecordVisitor>(_ reader: LogFileReader, into visitor: inout Visitor) {
        while let line = reader.nextTrimmedLine(into: &visitor) {
            guard let (text, lineStart) = line else { continue }
            reader.handleBase64Payload(Array(reader.window.bytes[text]), decodedOffset: reader.window.decodedOffset(of: lineStart),
                                       into: &visitor)
        }
    }
}

extension LogFileReader {
    /// Largest decoded payload accepted; CloudWatch Logs sends at most about 1 MB per batch.
    static let maximumPayloadSize = 64 << 20

    /// `{"awslogs":{"data":"<base64>"}}`, as Lambda receives it.
    func handleCloudWatchLogsWrapper<Visitor: RecordVisitor>(_ object: UnsafeRawBufferPointer, awslogs: Range<Int>,
                                                             decodedOffset: Int, into visitor: inout Visitor) {
        let inner = UnsafeRawBufferPointer(rebasing: object[awslogs])
        var data: Range<Int>?
        try? JSONMembers.forEach(in: inner) { key, _, value in
            if JSONBytes.equals(key, "data"), inner[value.lowerBound] == UInt8(ascii: "\"") { data = value }
            return data == nil
        }
        guard let data else {
            reportRecordProblem(.unrecognizedRecord, offset: decodedOffset, reason: "An awslogs object without a data string",
                                into: &visitor)
            return
        }
        let text = Array(inner[(data.lowerBound + 1)..<(data.upperBound - 1)])
        handleBase64Payload(text, decodedOffset: decodedOffset + awslogs.lowerBound + data.lowerBound, into: &visitor)
    }

    fileprivate func handleBase64Payload<Visitor: RecordVisitor>(_ text: [UInt8], decodedOffset: Int,
                                                             into visitor: inout Visitor) {
        guard let compressed = Data(base64Encoded: Data(text), options: .ignoreUnknownCharacters) else {
            reportRecordProblem(.malformedRecord, offset: decodedOffset,
                                reason: "A CloudWatch Logs payload that is not valid base64", into: &visitor)
            return
        }
        let input = DecodedInput(bytes: [UInt8](compressed), name: path)
        var payload: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        do {
            while true {
                let count = try chunk.withUnsafeMutableBytes { try input.read(into: $0) }
                if count == 0 { break }
                payload.append(contentsOf: chunk[0..<count])
                if payload.count > Self.maximumPayloadSize {
                    reportRecordProblem(.oversizedRecord, offset: decodedOffset,
                                        reason: "A CloudWatch Logs payload larger than \(Self.maximumPayloadSize) bytes",
                                        into: &visitor)
                    return
                }
            }
        } catch {
            reportRecordProblem(.corruptCompression, offset: decodedOffset,
                                reason: "A CloudWatch Logs payload whose gzip data is damaged: \((error as? InputProblem)?.reason ?? "\(error)")",
                                into: &visitor)
            return
        }
        payload.withUnsafeBytes { bytes in
            let start = JSONBytes.skipWhitespace(bytes, from: 0)
            guard start < bytes.count, bytes[start] == UInt8(ascii: "{") else {
                reportRecordProblem(.unrecognizedRecord, offset: decodedOffset,
                                    reason: "A base64 payload that is not a CloudWatch Logs subscription payload", into: &visitor)
                return
            }
            // The payload's bytes are not the file's: what it holds is reported at the payload.
            handleDecodedPayload(bytes, decodedOffset: decodedOffset, isEncoded: true, into: &visitor)
        }
    }

    /// A decoded payload: validated, then its log events' messages read as records.
    ///
    /// `isEncoded`: the payload came base64-encoded and gzipped, so offsets within it are not
    /// offsets in the input; everything in it is then reported at `decodedOffset`, where the
    /// payload starts in the input.
    func handleDecodedPayload<Visitor: RecordVisitor>(_ object: UnsafeRawBufferPointer, decodedOffset: Int,
                                                      isEncoded: Bool = false, into visitor: inout Visitor) {
        do {
            try JSONValidator.validate(object, maximumDepth: limits.maximumDepth)
        } catch {
            reportRecordProblem(.malformedRecord, offset: decodedOffset + (isEncoded ? 0 : error.offset),
                                reason: "A CloudWatch Logs payload that is not well-formed JSON: \(error.message)", into: &visitor)
            return
        }
        handleCloudWatchLogsPayload(object, decodedOffset: decodedOffset, isEncoded: isEncoded, into: &visitor)
    }

    /// The members of a (validated) payload object; `isEncoded` as for `handleDecodedPayload`.
    func handleCloudWatchLogsPayload<Visitor: RecordVisitor>(_ object: UnsafeRawBufferPointer, decodedOffset: Int,
                                                             isEncoded: Bool = false, into visitor: inout Visitor) {
        var isControl = false
        var owner: String?
        var logGroup: String?
        var logStream: String?
        var logEvents: Range<Int>?
        try? JSONMembers.forEach(in: object) { key, _, value in
            if JSONBytes.equals(key, "messageType") {
                isControl = object[value].elementsEqual("\"CONTROL_MESSAGE\"".utf8)
            } else if JSONBytes.equals(key, "owner"), let text = JSONMembers.string(at: value, in: object) {
                owner = text
            } else if JSONBytes.equals(key, "logGroup"), let text = JSONMembers.string(at: value, in: object) {
                logGroup = text
            } else if JSONBytes.equals(key, "logStream"), let text = JSONMembers.string(at: value, in: object) {
                logStream = text
            } else if JSONBytes.equals(key, "logEvents"), object[value.lowerBound] == UInt8(ascii: "[") {
                logEvents = value
            }
            return true
        }
        // RDS's log groups hold database log lines, read as such whatever each line looks like
        // (a damaged one is reported as a bad audit line); elsewhere a line is looked at on its own.
        let isRDSLogGroup = logGroup?.hasPrefix("/aws/rds/") ?? false
        // Worked out for the payload, not for each of its lines (see DatabaseAuditPlacement).
        var placement: DatabaseAuditPlacement?
        if isControl {
            visitor.skip(.controlMessage)
            return
        }
        guard let logEvents else {
            reportRecordProblem(.unrecognizedRecord, offset: decodedOffset,
                                reason: "A CloudWatch Logs payload without logEvents", into: &visitor)
            return
        }
        var message: [UInt8] = []
        JSONBytes.forEachElement(in: object, arrayAt: logEvents.lowerBound) { element in
            let event = UnsafeRawBufferPointer(rebasing: object[element])
            var messageRange: Range<Int>?
            var idRange: Range<Int>?
            var timestamp: Int64?
            try? JSONMembers.forEach(in: event) { key, _, value in
                if JSONBytes.equals(key, "message"), event[value.lowerBound] == UInt8(ascii: "\"") {
                    messageRange = value
                } else if JSONBytes.equals(key, "id"), event[value.lowerBound] == UInt8(ascii: "\""), value.count > 2 {
                    idRange = (value.lowerBound + 1)..<(value.upperBound - 1)
                } else if JSONBytes.equals(key, "timestamp") {
                    timestamp = DatabaseAuditLine.digits(event, value).map(Int64.init)
                }
                return true
            }
            let offset = isEncoded ? decodedOffset : decodedOffset + element.lowerBound
            guard let messageRange else {
                reportRecordProblem(.unrecognizedRecord, offset: offset, reason: "A log event without a message string",
                                    into: &visitor)
                return
            }
            // A message without escapes (most are) is read where it lies in the payload; only an
            // escaped one is copied out, unescaped.
            func handleMessage(_ text: UnsafeRawBufferPointer) {
                let start = JSONBytes.skipWhitespace(text, from: 0)
                if start < text.count, text[start] == UInt8(ascii: "{") {
                    handleObject(text, decodedOffset: offset, isEncoded: isEncoded, into: &visitor)
                } else if !isRDSLogGroup, FlowLogReader.looksLikeDefaultFlowRecord(text) {
                    // A flow log line carried in a message has no header: the default format.
                    visit(.flowLog, text, decodedOffset: offset, flowFormat: .defaultV2, ownerAccount: owner, into: &visitor)
                } else if isRDSLogGroup || DatabaseAuditLine.recognizes(text) {
                    if placement == nil { placement = DatabaseAuditPlacement(logGroup: logGroup, logStream: logStream) }
                    let origin = CloudWatchLogEvent(logGroup: logGroup, logStream: logStream,
                                                    id: idRange.map { UnsafeRawBufferPointer(rebasing: event[$0]) },
                                                    timestamp: timestamp, placement: placement)
                    visitDatabaseAuditLine(text, decodedOffset: offset, ownerAccount: owner, logEvent: origin, into: &visitor)
                } else {
                    reportRecordProblem(.unrecognizedRecord, offset: offset,
                                        reason: "A log event message that is neither JSON, a database log line nor a default-format flow log record",
                                        into: &visitor)
                }
            }
            let contents = UnsafeRawBufferPointer(rebasing: event[(messageRange.lowerBound + 1)..<(messageRange.upperBound - 1)])
            if contents.isEmpty || memchr(contents.baseAddress!, Int32(UInt8(ascii: "\\")), contents.count) == nil {
                handleMessage(contents)
            } else {
                JSONString.unescape(contents, into: &message)
                message.withUnsafeBytes { handleMessage($0) }
            }
        }
    }
}

import VigilJSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one decoded input and hands its records, in order, to a `RecordVisitor`.
///
/// The format is recognized by content (DESIGN.md), from the first bytes:
/// - `{` whose first key is `Records`, `Events` or `Findings` holding an array: a CloudTrail log
///   file, `lookup-events` output or `get-findings` output, streamed element by element, so a file
///   of hundreds of megabytes is never held whole;
/// - `[`: a bare array of records;
/// - any other `{`: JSON Lines when the first object ends on its own line, else a stream of
///   (possibly pretty-printed) JSON values; each object is classified on its own;
/// - text starting `H4sI`: a base64 CloudWatch Logs subscription payload;
/// - other text: VPC flow log lines, with a header line or in the default v2 format.
///
/// Every record is validated strictly before it is handed on; a bad record is reported with its
/// offset and ordinal and skipped, and reading resumes at the next record.
public final class LogFileReader {
    let window: DecodedWindow
    let path: String
    let limits: ReaderLimits
    /// Where reading is, in window offsets.
    private var position = 0
    /// The start of the record being read, kept across refills; nil between records.
    private var mark: Int?
    private var ordinal = 0
    private var boundary = JSONValueBoundary()
    /// Room for records that are embedded as strings (lookup-events, CloudWatch Logs messages).
    private var embedded: [UInt8] = []

    /// The input is read to where it ends now, but more may come (a file still being written):
    /// the unfinished end is held back rather than read or reported (see `endedEarly`).
    public let endIsProvisional: Bool
    private let cancellation: ReadCancellation?
    /// With `endIsProvisional`: the input ended before its last record was complete (a line
    /// without its newline, an array, object or record still open, a gzip stream cut inside a
    /// member, or too little to tell the format yet), so reading stopped before that record and
    /// nothing about the unfinished end was reported. Read the file again when it has grown.
    public private(set) var endedEarly = false
    /// The read stopped because `cancellation` was cancelled.
    public private(set) var wasCancelled = false

    /// A reader of `input`. `endIsProvisional`: the input may still grow (see `endedEarly`);
    /// records then get the same ordinals as in a later read of the longer input. `cancellation`
    /// stops the read early (checked as the window is refilled). `decodeAhead`: decode on a thread
    /// of its own while this one reads the records (see `DecodedWindow`), for large files when
    /// there is a core to spare; the records and problems are the same either way.
    ///
    /// The input belongs to the reader until `read(into:)` returns: only then may its offsets be
    /// looked at (with `decodeAhead`, another thread decodes it until then).
    public convenience init(input: DecodedInput, limits: ReaderLimits = ReaderLimits(), endIsProvisional: Bool = false,
                            cancellation: ReadCancellation? = nil, decodeAhead: Bool = false) {
        self.init(input: input, limits: limits, endIsProvisional: endIsProvisional, cancellation: cancellation,
                  aheadLayout: decodeAhead ? .standard : nil)
    }

    /// With `aheadLayout`, decodes ahead in a ring of that layout (tests use small ones).
    init(input: DecodedInput, limits: ReaderLimits = ReaderLimits(), endIsProvisional: Bool = false,
         cancellation: ReadCancellation? = nil, aheadLayout: DecodeAhead.Layout?) {
        window = DecodedWindow(input: input, ahead: aheadLayout)
        path = input.path
        self.limits = limits
        self.endIsProvisional = endIsProvisional
        self.cancellation = cancellation
    }

    /// Records consumed so far (handed out, or reported and skipped): the ordinal the next record
    /// gets. After a read that ended early, a later read resumes at this ordinal.
    public var recordsRead: Int { ordinal }

    /// Reads the whole input. Problems are reported to the visitor; nothing is thrown.
    public func read<Visitor: RecordVisitor>(into visitor: inout Visitor) {
        readContent(into: &visitor)
        // Decode to the end even when the records are done (after a container's closing
        // bracket, say), so that a damaged gzip trailer or stream is still found and reported.
        mark = nil
        position = window.end
        while readMore() { position = window.end }
        // The input is the caller's again (a decode-ahead thread has ended).
        window.stopDecoding()
        // Damage found before a cancellation is still damage: it is reported either way.
        if let problem = window.inputProblem {
            if endIsProvisional && window.endedInsideMember {
                endedEarly = true
            } else {
                visitor.report(problem)
            }
        }
    }

    /// Whether the end just met is not the input's own: a provisional end, or a cancelled read.
    /// Notes a provisional one in `endedEarly`; the caller then stops without reporting or
    /// counting the unfinished record, so that it gets the next ordinal when it is complete.
    ///
    /// - Damage that is not a cut (a corrupt gzip member, a read error) is final: it does not
    ///   go away when the file grows, and is reported as in a final read.
    /// - A gzip stream cut inside a member (a file still being copied) is not final.
    /// - A gzip stream that ended after a whole member is taken as final: members are written
    ///   whole, so what one holds is complete (S3 log files often lack a last newline, and need
    ///   no waiting).
    private func endIsNotFinal() -> Bool {
        if wasCancelled { return true }
        guard endIsProvisional else { return false }
        if window.inputProblem != nil {
            guard window.endedInsideMember else { return false }
        } else if window.encoding == .gzip {
            return false
        }
        endedEarly = true
        return true
    }

    /// Reports a problem that is the input ending inside something, unless that end is not final.
    private func reportEnd<Visitor: RecordVisitor>(_ problem: InputProblem, into visitor: inout Visitor) {
        if endIsNotFinal() { return }
        visitor.report(problem)
    }

    /// The input has no content (nothing, whitespace, a byte order mark): an empty file, unless
    /// the end is not final (a file just created, whose first bytes are still to come).
    private func skipEmpty<Visitor: RecordVisitor>(into visitor: inout Visitor) {
        guard window.inputProblem == nil, !endIsNotFinal() else { return }
        visitor.skip(.emptyFile)
    }

    // MARK: - Recognizing the format

    private func readContent<Visitor: RecordVisitor>(into visitor: inout Visitor) {
        guard skipWhitespace() else {
            skipEmpty(into: &visitor)
            return
        }
        // A UTF-8 byte order mark, which some tools write, is not content.
        if ensure(3), window.bytes[position] == 0xEF, window.bytes[position + 1] == 0xBB, window.bytes[position + 2] == 0xBF {
            position += 3
            guard skipWhitespace() else {
                // Nothing but the mark: as empty as a zero-byte file.
                skipEmpty(into: &visitor)
                return
            }
        }
        switch window.bytes[position] {
        case UInt8(ascii: "["):
            position += 1
            readArrayElements(container: nil, into: &visitor)
        case UInt8(ascii: "{"):
            if let container = peekContainerKey() {
                // More may follow the container: `cat` of two log files, pages of lookup-events.
                guard readArrayElements(container: container, into: &visitor), finishContainer(into: &visitor) else { return }
                readValueStream(into: &visitor)
            } else if startsJSONLines() {
                // Too little yet to tell JSON Lines from pretty-printed JSON: wait for more.
                if endedEarly || wasCancelled { return }
                readJSONLines(into: &visitor)
            } else {
                readValueStream(into: &visitor)
            }
        default:
            if ensure(4), window.bytes[position..<(position + 4)].elementsEqual("H4sI".utf8) {
                readBase64Payload(into: &visitor)
            } else {
                readFlowLog(into: &visitor)
            }
        }
    }

    /// If the object at `position` starts with a container key holding an array, moves past the
    /// `[` and returns the key.
    private func peekContainerKey() -> RecordClassifier.ContainerKind? {
        // The first key and the first byte of its value must fit in a small prefix.
        _ = ensure(4096)
        let bytes = window.bytes
        var offset = JSONBytes.skipWhitespace(bytes, from: position + 1)
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { return nil }
        guard let keyEnd = JSONString.nextQuoteOrBackslash(in: bytes, from: offset + 1),
              bytes[keyEnd] == UInt8(ascii: "\"") else { return nil }
        let key = UnsafeRawBufferPointer(rebasing: bytes[(offset + 1)..<keyEnd])
        guard let kind = RecordClassifier.ContainerKind(key: key) else { return nil }
        offset = JSONBytes.skipWhitespace(bytes, from: keyEnd + 1)
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else { return nil }
        offset = JSONBytes.skipWhitespace(bytes, from: offset + 1)
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "[") else { return nil }
        position = offset + 1
        return kind
    }

    /// Whether the object at `position` ends on the line it starts on, with nothing after it on
    /// that line: the mark of JSON Lines (one record per line), as opposed to pretty-printed JSON.
    private func startsJSONLines() -> Bool {
        mark = position
        defer { mark = nil }
        boundary.reset()
        var scanned = 0  // bytes looked at, from the mark
        var valueEnded = false
        while true {
            let bytes = window.bytes
            let start = mark!
            if !valueEnded {
                if let end = boundary.scan(bytes, from: start + scanned) {
                    if memchr(bytes.baseAddress! + start, 0x0A, end - start) != nil { return false }
                    valueEnded = true
                    scanned = end - start
                } else {
                    scanned = bytes.count - start
                    // Too long to tell: lines mode reports it as one oversized line at worst.
                    if scanned > limits.maximumRecordSize { return true }
                }
            }
            if valueEnded {
                var after = start + scanned
                while after < bytes.count, bytes[after] == 0x20 || bytes[after] == 0x09 || bytes[after] == 0x0D {
                    after += 1
                }
                if after < bytes.count { return bytes[after] == 0x0A }
                scanned = after - start
            }
            guard readMore() else {
                if !valueEnded { _ = endIsNotFinal() }
                return true
            }
        }
    }

    // MARK: - JSON containers, arrays, lines and streams

    /// Reads the elements of an array whose `[` has been consumed, each a record; `container`
    /// says what the enclosing object's key promised. Returns true when the array's `]` was read,
    /// false when the input ended first.
    @discardableResult
    private func readArrayElements<Visitor: RecordVisitor>(container: RecordClassifier.ContainerKind?,
                                                           into visitor: inout Visitor) -> Bool {
        var expectingElement = true
        var first = true
        while true {
            guard skipWhitespace() else {
                reportEnd(problem(.malformedRecord, at: position, reason: "The input ends inside the array of records"), into: &visitor)
                return false
            }
            let byte = window.bytes[position]
            if byte == UInt8(ascii: "]") && (!expectingElement || first) {
                position += 1
                return true
            }
            if byte == UInt8(ascii: ",") && !expectingElement {
                position += 1
                expectingElement = true
                continue
            }
            if !expectingElement || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") {
                visitor.report(problem(.malformedRecord, at: position, record: ordinal,
                                       reason: "Expected a record or ',' in the array of records"))
                // Go on at the next record, or end at the array's close; the problem is reported once.
                guard resynchronize(into: &visitor) else {
                    // The array is still open; a final read has said what it had to say.
                    _ = endIsNotFinal()
                    return false
                }
                if window.bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    return true
                }
                expectingElement = true
                first = false
                continue
            }
            first = false
            expectingElement = false
            guard byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") else {
                visitor.report(problem(.unrecognizedRecord, at: position, record: ordinal,
                                       reason: "An element of the array of records is not a JSON object"))
                ordinal += 1
                guard skipScalarElement() else {
                    _ = endIsNotFinal()
                    return false
                }
                continue
            }
            guard let value = readValue(into: &visitor) else {
                if window.inputProblem == nil {
                    reportEnd(problem(.malformedRecord, at: position, record: ordinal,
                                      reason: "The input ends inside a record"), into: &visitor)
                }
                return false
            }
            if let value {
                // An array element is skipped whole: its own commas and brackets are not the array's.
                guard byte == UInt8(ascii: "{") else {
                    visitor.report(problem(.unrecognizedRecord, at: value.lowerBound, record: ordinal,
                                           reason: "An element of the array of records is not a JSON object"))
                    ordinal += 1
                    continue
                }
                let bytes = UnsafeRawBufferPointer(rebasing: window.bytes[value])
                handleObject(bytes, decodedOffset: window.decodedOffset(of: value.lowerBound),
                             container: container, isValidated: lastValueIsValidated, into: &visitor)
            }
        }
    }

    /// Reads JSON Lines: one record per line; a bad line is reported and the next line read.
    private func readJSONLines<Visitor: RecordVisitor>(into visitor: inout Visitor) {
        while let line = readLine(into: &visitor) {
            guard let line else { continue }
            var start = line.lowerBound
            var end = line.upperBound
            let bytes = window.bytes
            while start < end, Self.isWhitespace(bytes[start]) { start += 1 }
            while end > start, Self.isWhitespace(bytes[end - 1]) { end -= 1 }
            if start == end { continue }
            handleObject(UnsafeRawBufferPointer(rebasing: bytes[start..<end]),
                         decodedOffset: window.decodedOffset(of: start), container: nil, into: &visitor)
        }
    }

    /// Reads JSON values one after another, separated by whitespace (pretty-printed or not).
    private func readValueStream<Visitor: RecordVisitor>(into visitor: inout Visitor) {
        while skipWhitespace() {
            let byte = window.bytes[position]
            if byte == UInt8(ascii: "[") {
                position += 1
                readArrayElements(container: nil, into: &visitor)
                continue
            }
            if byte == UInt8(ascii: "{"), let container = peekContainerKey() {
                guard readArrayElements(container: container, into: &visitor), finishContainer(into: &visitor) else { return }
                continue
            }
            guard byte == UInt8(ascii: "{") else {
                visitor.report(problem(.malformedRecord, at: position, record: ordinal,
                                       reason: "Expected a JSON object"))
                ordinal += 1
                // Resume at the next line, the likeliest start of the next record.
                guard readLine(into: &visitor) != nil else { return }
                continue
            }
            guard let value = readValue(into: &visitor) else {
                if window.inputProblem == nil {
                    reportEnd(problem(.malformedRecord, at: position, record: ordinal,
                                      reason: "The input ends inside a record"), into: &visitor)
                }
                return
            }
            if let value {
                handleObject(UnsafeRawBufferPointer(rebasing: window.bytes[value]),
                             decodedOffset: window.decodedOffset(of: value.lowerBound), container: nil,
                             isValidated: lastValueIsValidated, into: &visitor)
            }
        }
    }

    /// After a container's array: skips the rest of the container object (a `NextToken`, say),
    /// which holds no records, without keeping its bytes. False when the input ends first.
    private func finishContainer<Visitor: RecordVisitor>(into visitor: inout Visitor) -> Bool {
        boundary.reset(openBrackets: 1)
        while true {
            if let end = boundary.scan(window.bytes, from: position) {
                position = end
                return true
            }
            position = window.end
            guard readMore() else {
                if window.inputProblem == nil {
                    reportEnd(problem(.malformedRecord, at: window.end,
                                      reason: "The input ends inside the object holding the records"), into: &visitor)
                }
                return false
            }
        }
    }

    // MARK: - One JSON object

    /// Where the members of the object last validated lie, handed on with its record.
    private let memberIndex = ObjectMemberIndex()
    /// The range `readValue` returned last was validated (into `memberIndex`) as it was found.
    private var lastValueIsValidated = false

    /// Validates one object and hands it on as what it is, unwrapping containers held in memory.
    /// `isEncoded`: the object's bytes are not the input's (a message in a base64 payload), so a
    /// problem in it is reported at `decodedOffset` rather than at an offset within it.
    /// `isValidated`: `readValue` has validated it already, into `memberIndex`.
    func handleObject<Visitor: RecordVisitor>(_ object: UnsafeRawBufferPointer, decodedOffset: Int,
                                                      container: RecordClassifier.ContainerKind?,
                                                      isEncoded: Bool = false, isValidated: Bool = false,
                                                      into visitor: inout Visitor) {
        do {
            if !isValidated {
                try JSONValidator.validate(object, maximumDepth: limits.maximumDepth, members: memberIndex)
            }
        } catch {
            visitor.report(InputProblem(error.kind == .tooDeep ? .tooDeep : .malformedRecord, path: path,
                                        offset: decodedOffset + (isEncoded ? 0 : error.offset), record: ordinal,
                                        reason: error.message))
            ordinal += 1
            return
        }
        // The elements of a CloudTrail log file are CloudTrail records; looking at their keys
        // again would only cost time. Other containers' elements are looked at one by one.
        if container == .records {
            visit(.cloudTrail, object, decodedOffset: decodedOffset, into: &visitor)
            return
        }
        switch RecordClassifier.classify(object) {
        case .cloudTrail:
            visit(.cloudTrail, object, decodedOffset: decodedOffset, into: &visitor)
        case .guardDutyFinding:
            visit(.guardDutyFinding, object, decodedOffset: decodedOffset, into: &visitor)
        case .eventBridgeEvent:
            visit(.eventBridgeEvent, object, decodedOffset: decodedOffset, into: &visitor)
        case .cloudTrailDigest:
            visitor.skip(.cloudTrailDigest)
        case .container(_, let elements):
            handleArrayInMemory(object, elements: elements, decodedOffset: decodedOffset, into: &visitor)
        case .lookupEventsEntry(let cloudTrailEvent):
            handleEmbeddedRecord(object, string: cloudTrailEvent, decodedOffset: decodedOffset, into: &visitor)
        case .cloudWatchLogsWrapper(let awslogs):
            handleCloudWatchLogsWrapper(object, awslogs: awslogs, decodedOffset: decodedOffset, into: &visitor)
        case .cloudWatchLogsPayload:
            handleCloudWatchLogsPayload(object, decodedOffset: decodedOffset, into: &visitor)
        case .unknown:
            visitor.report(InputProblem(.unrecognizedRecord, path: path, offset: decodedOffset, record: ordinal,
                                        reason: "Not a CloudTrail record, GuardDuty finding or EventBridge event"))
            ordinal += 1
        }
    }

    func visit<Visitor: RecordVisitor>(_ kind: LogRecord.Kind, _ bytes: UnsafeRawBufferPointer,
                                               decodedOffset: Int, flowFormat: FlowLogFormat? = nil,
                                               ownerAccount: String? = nil, into visitor: inout Visitor) {
        // Only a JSON record was just validated into the member index (a flow line has none).
        visitor.visit(LogRecord(kind: kind, bytes: bytes, ordinal: ordinal, decodedOffset: decodedOffset,
                                flowFormat: flowFormat, ownerAccount: ownerAccount,
                                members: kind == .flowLog ? nil : memberIndex))
        ordinal += 1
    }

    /// Reports a problem with the record at `offset` (a decoded offset) and counts the record.
    func reportRecordProblem<Visitor: RecordVisitor>(_ kind: InputProblem.Kind, offset: Int, reason: String,
                                                     into visitor: inout Visitor) {
        visitor.report(InputProblem(kind, path: path, offset: offset, record: ordinal, reason: reason))
        ordinal += 1
    }

    /// A record that was carried inside another (a CloudWatch Logs message): a JSON object.
    func handleObjectFromPayload<Visitor: RecordVisitor>(_ object: UnsafeRawBufferPointer, decodedOffset: Int,
                                                         isEncoded: Bool = false, into visitor: inout Visitor) {
        handleObject(object, decodedOffset: decodedOffset, container: nil, isEncoded: isEncoded, into: &visitor)
    }

    /// A flow log line carried in a CloudWatch Logs message, which has no header: default format.
    func visitFlowLine<Visitor: RecordVisitor>(_ line: UnsafeRawBufferPointer, decodedOffset: Int,
                                               ownerAccount: String?, into visitor: inout Visitor) {
        visit(.flowLog, line, decodedOffset: decodedOffset, flowFormat: .defaultV2, ownerAccount: ownerAccount, into: &visitor)
    }

    /// The elements of a container array inside an object already in memory (and validated).
    private func handleArrayInMemory<Visitor: RecordVisitor>(_ object: UnsafeRawBufferPointer, elements: Range<Int>,
                                                             decodedOffset: Int, into visitor: inout Visitor) {
        JSONBytes.forEachElement(in: object, arrayAt: elements.lowerBound) { element in
            let elementBytes = UnsafeRawBufferPointer(rebasing: object[element])
            if object[element.lowerBound] == UInt8(ascii: "{") {
                handleObject(elementBytes, decodedOffset: decodedOffset + element.lowerBound, container: nil, into: &visitor)
            } else {
                visitor.report(InputProblem(.unrecognizedRecord, path: path, offset: decodedOffset + element.lowerBound,
                                            record: ordinal, reason: "An element of the array of records is not a JSON object"))
                ordinal += 1
            }
        }
    }

    /// A record carried as a JSON string (a `lookup-events` entry's `CloudTrailEvent`).
    private func handleEmbeddedRecord<Visitor: RecordVisitor>(_ object: UnsafeRawBufferPointer, string: Range<Int>,
                                                              decodedOffset: Int, into visitor: inout Visitor) {
        let contents = UnsafeRawBufferPointer(rebasing: object[(string.lowerBound + 1)..<(string.upperBound - 1)])
        var text = embedded
        JSONString.unescape(contents, into: &text)
        text.withUnsafeBytes { record in
            handleObject(record, decodedOffset: decodedOffset + string.lowerBound, container: nil, into: &visitor)
        }
        embedded = text
    }

    // MARK: - Lines

    /// The next line's range (without its terminator); `.some(nil)` for a line too long, which
    /// has been reported and skipped; nil at the end of the input.
    private func readLine<Visitor: RecordVisitor>(into visitor: inout Visitor) -> Range<Int>?? {
        mark = position
        defer { mark = nil }
        var scanFrom = position
        while true {
            let bytes = window.bytes
            if scanFrom < bytes.count,
               let found = memchr(bytes.baseAddress! + scanFrom, 0x0A, bytes.count - scanFrom) {
                let newline = bytes.baseAddress!.distance(to: UnsafeRawPointer(found))
                let line = mark!..<newline
                position = newline + 1
                // A line that fitted in the window is held to the limit too, not only one that outgrew it.
                if line.count > limits.maximumRecordSize {
                    reportOversized(at: line.lowerBound, what: "A line", into: &visitor)
                    return .some(nil)
                }
                return .some(line)
            }
            let scanned = bytes.count - mark!
            if scanned > limits.maximumRecordSize {
                reportOversized(at: mark!, what: "A line", into: &visitor)
                skipPastNewline()
                return .some(nil)
            }
            guard readMore() else {
                let end = window.end
                guard mark! < end else { return nil }
                // Input cut short by damage (a truncated gzip file): the unfinished last line is not
                // a record — as a flow line it could even pass for one with its last field cut —
                // and the damage is reported once, by `read`.
                guard window.inputProblem == nil else {
                    position = end
                    return nil
                }
                // A line without its newline while more may come is not a record yet.
                if endIsNotFinal() { return nil }
                let line = mark!..<end
                position = end
                return .some(line)
            }
            scanFrom = mark! + scanned
        }
    }

    /// The next line's window range and decoded offset; `.some(nil)` for a skipped line; nil at the end.
    func nextLine<Visitor: RecordVisitor>(into visitor: inout Visitor) -> (Range<Int>, Int)?? {
        guard let line = readLine(into: &visitor) else { return nil }
        guard let line else { return .some(nil) }
        return .some((line, window.decodedOffset(of: line.lowerBound)))
    }

    /// Drops input up to and including the next newline.
    private func skipPastNewline() {
        mark = nil
        while true {
            let bytes = window.bytes
            if position < bytes.count, let found = memchr(bytes.baseAddress! + position, 0x0A, bytes.count - position) {
                position = bytes.baseAddress!.distance(to: UnsafeRawPointer(found)) + 1
                return
            }
            position = window.end
            guard readMore() else {
                // The line (already reported) may still be growing.
                _ = endIsNotFinal()
                return
            }
        }
    }

    // MARK: - VPC Flow Logs

    private func readFlowLog<Visitor: RecordVisitor>(into visitor: inout Visitor) {
        var format: FlowLogFormat?
        var isFirstLine = true
        while let line = readLine(into: &visitor) {
            guard let line else { continue }
            var end = line.upperBound
            let bytes = window.bytes
            if end > line.lowerBound, bytes[end - 1] == 0x0D { end -= 1 }
            let text = UnsafeRawBufferPointer(rebasing: bytes[line.lowerBound..<end])
            if text.allSatisfy(Self.isWhitespace) { continue }
            if let header = FlowLogFormat(headerLine: text) {
                format = header
                isFirstLine = false
                continue
            }
            if isFirstLine {
                isFirstLine = false
                guard Self.looksLikeDefaultFlowRecord(text) else {
                    visitor.report(InputProblem(.unknownFormat, path: path, offset: window.decodedOffset(of: line.lowerBound),
                                                reason: "Not a format Vigil reads (CloudTrail, VPC Flow Logs, GuardDuty, EventBridge events, CloudWatch Logs payloads)"))
                    return
                }
                format = .defaultV2
            }
            visit(.flowLog, text, decodedOffset: window.decodedOffset(of: line.lowerBound),
                  flowFormat: format ?? .defaultV2, into: &visitor)
        }
    }

    /// A line without a header is taken as the default v2 format only if it looks like one: 14
    /// fields, the first the version `2`.
    static func looksLikeDefaultFlowRecord(_ line: UnsafeRawBufferPointer) -> Bool {
        var fields = 0
        var inField = false
        for byte in line {
            if byte == 0x20 || byte == 0x09 {
                inField = false
            } else if !inField {
                inField = true
                fields += 1
            }
        }
        let first = line.firstIndex { $0 != 0x20 && $0 != 0x09 } ?? 0
        return fields == FlowLogFormat.defaultV2.fieldNames.count && line[first] == UInt8(ascii: "2")
            && (first + 1 == line.count || line[first + 1] == 0x20 || line[first + 1] == 0x09)
    }

    // MARK: - Window mechanics

    /// Makes at least `count` bytes available from `position`, if the input has them.
    private func ensure(_ count: Int) -> Bool {
        while window.end - position < count {
            guard readMore() else { return window.end - position >= count }
        }
        return true
    }

    /// Reads more input, keeping the bytes from the record being read (or from `position`).
    /// Returns false when no more bytes came.
    private func readMore() -> Bool {
        if wasCancelled { return false }
        if let cancellation, cancellation.isCancelled {
            wasCancelled = true
            // Not a buffer more: a decode-ahead thread stops now, not at the end of the file.
            window.stopDecoding()
            return false
        }
        let keep = min(mark ?? position, position)
        let heldBefore = window.end - keep
        guard let shift = window.refill(keepingFrom: keep) else { return false }
        position -= shift
        if mark != nil { mark! -= shift }
        return window.end - (keep - shift) > heldBefore
    }

    /// Skips whitespace, reading more as needed; false at the end of the input.
    private func skipWhitespace() -> Bool {
        while true {
            position = JSONBytes.skipWhitespace(window.bytes, from: position)
            if position < window.end { return true }
            guard readMore() else { return false }
        }
    }

    /// Reads the object or array starting at `position`. Returns its range in the window; `.some(nil)`
    /// when it was larger than the limit (reported, skipped); nil when the input ended inside it.
    private func readValue<Visitor: RecordVisitor>(into visitor: inout Visitor) -> Range<Int>?? {
        // Most records lie whole in the window: validating one there finds its end as well, so it
        // is walked once. One that runs past the window's end, or that is malformed, too deep or
        // too large, takes the long way: its end is found by its brackets, reading more as
        // needed, and the validation that follows reports what is wrong with it.
        if let end = try? JSONValidator.validateValue(window.bytes, from: position, maximumDepth: limits.maximumDepth,
                                                      members: memberIndex),
           end - position <= limits.maximumRecordSize {
            let range = position..<end
            position = end
            lastValueIsValidated = true
            return .some(range)
        }
        lastValueIsValidated = false
        mark = position
        defer { mark = nil }
        boundary.reset()
        var scanFrom = position
        while true {
            if let end = boundary.scan(window.bytes, from: scanFrom) {
                let range = mark!..<end
                position = end
                // A record that fitted in the window is held to the limit too, not only one that outgrew it.
                if range.count > limits.maximumRecordSize {
                    reportOversized(at: range.lowerBound, what: "A record", into: &visitor)
                    return .some(nil)
                }
                if boundary.deepest > limits.maximumDepth {
                    visitor.report(problem(.tooDeep, at: range.lowerBound, record: ordinal,
                                           reason: "A record nested deeper than \(limits.maximumDepth) levels"))
                    ordinal += 1
                    return .some(nil)
                }
                return .some(range)
            }
            let scanned = window.end - mark!
            if scanned > limits.maximumRecordSize {
                reportOversized(at: mark!, what: "A record", into: &visitor)
                // Go on finding its end, dropping its bytes as they pass.
                mark = nil
                position = window.end
                while true {
                    guard readMore() else { return nil }
                    if let end = boundary.scan(window.bytes, from: position) {
                        position = end
                        return .some(nil)
                    }
                    position = window.end
                }
            }
            guard readMore() else { return nil }
            scanFrom = mark! + scanned
        }
    }

    /// After a structural error in an array of records, skips to the next `{` at the top of the
    /// array. Returns false at the end of the input.
    private func resynchronize<Visitor: RecordVisitor>(into visitor: inout Visitor) -> Bool {
        // The byte that was unexpected is passed over first, unless it starts a record or ends the array.
        if window.bytes[position] != UInt8(ascii: "{") && window.bytes[position] != UInt8(ascii: "]") { position += 1 }
        while skipWhitespace() {
            let byte = window.bytes[position]
            if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "]") { return true }
            position += 1
        }
        return false
    }

    /// Skips a non-object array element (a string, number or literal). False at the end of input.
    private func skipScalarElement() -> Bool {
        while skipWhitespace() {
            let byte = window.bytes[position]
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") { return true }
            if byte == UInt8(ascii: "\"") {
                mark = position
                defer { mark = nil }
                var from = position + 1
                while true {
                    if let special = JSONString.nextQuoteOrBackslash(in: window.bytes, from: from) {
                        if window.bytes[special] == UInt8(ascii: "\"") {
                            position = special + 1
                            break
                        }
                        from = special + 2
                        if from <= window.end { continue }
                    }
                    let offset = from - mark!
                    guard readMore() else { return false }
                    from = min(mark! + offset, window.end)
                }
                continue
            }
            position += 1
        }
        return false
    }

    /// Reports the record starting at window offset `offset` as over the size limit, and counts it.
    private func reportOversized<Visitor: RecordVisitor>(at offset: Int, what: String, into visitor: inout Visitor) {
        visitor.report(problem(.oversizedRecord, at: offset, record: ordinal,
                               reason: "\(what) larger than the record size limit of \(limits.maximumRecordSize) bytes"))
        ordinal += 1
    }

    private func problem(_ kind: InputProblem.Kind, at offset: Int, record: Int? = nil, reason: String) -> InputProblem {
        InputProblem(kind, path: path, offset: window.decodedOffset(of: offset), record: record, reason: reason)
    }

    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}

import VigilJSON

/// A database audit or connection log line as the event ARCHITECTURE.md's audit row specifies:
/// `source` `aws.rds`, `detail-type` `RDS Database Activity Event`, and a `detail` written in the
/// field names of AWS's Database Activity Streams records, so that one rule covers MySQL and
/// PostgreSQL alike.
///
/// The line is parsed into ranges (`DatabaseAuditLine`) and the detail written straight from them
/// into the envelope's reused buffer, undoing the line's own quoting (MySQL's `\'`, pgaudit's CSV
/// `""`, PostgreSQL's tab-led continuation lines) on the way and escaping for JSON: no `String`,
/// no Foundation and no allocation per line or field once the buffers have grown.
extension EventNormalizer {
    mutating func normalizeDatabaseAudit(_ record: LogRecord, context: LogFileContext) throws(InputProblem) {
        let line = record.bytes
        var fields = DatabaseAuditFields()
        let origin = DatabaseAuditOrigin(record: record, context: context)
        do {
            try DatabaseAuditLine.parse(line, into: &fields)
        } catch {
            // An RDS error, general or slow query log's line is the database's own message, not damage.
            guard let logEvent = record.logEvent, logEvent.isRDSMessageLog, let milliseconds = logEvent.timestamp else {
                throw InputProblem(.malformedRecord, reason: "A database log line that fits no known shape: \(error)")
            }
            fields = DatabaseAuditFields()
            fields.shape = .otherPostgres
            fields.seconds = milliseconds / 1000
            fields.epochMicroseconds = Int(milliseconds % 1000) * 1000
            fields.message = 0..<line.count
            if line.count > 0, line[line.count - 1] == 0x0D { fields.message = 0..<(line.count - 1) }
            try writeAudit(fields, line: line, origin: origin, engineKnown: false)
            return
        }
        try writeAudit(fields, line: line, origin: origin, engineKnown: true)
    }

    private mutating func writeAudit(_ fields: DatabaseAuditFields, line: UnsafeRawBufferPointer,
                                     origin: DatabaseAuditOrigin, engineKnown: Bool) throws(InputProblem) {
        let envelope = self.envelope
        let failure = envelope.writtenDetailMembers.withNotes { notes in
            DatabaseAuditDetailWriter.write(fields, line: line, origin: origin, engineKnown: engineKnown,
                                            into: &envelope.writtenDetail, notes: &notes)
        }
        if let failure {
            envelope.writtenDetail.removeAll(keepingCapacity: true)
            throw InputProblem(.malformedRecord, reason: "A database log line whose \(failure.field) is not valid UTF-8 "
                               + "(byte 0x\(Self.hexByte(line[failure.offset])) at column \(failure.offset + 1))")
        }
        envelope.detailIsWritten = true
        envelope.setConstants(source: "aws.rds", detailType: "RDS Database Activity Event")
        if let owner = origin.ownerAccount {
            envelope.account.append(contentsOf: owner.utf8)
        } else if let account = origin.context.account {
            envelope.account.append(contentsOf: account.utf8)
        }
        if let region = origin.context.region { envelope.region.append(contentsOf: region.utf8) }
        Timestamps.appendISO8601(fields.seconds, to: &envelope.time)
        envelope.eventTime = fields.seconds
        // The CloudWatch Logs event id is unique within a log group; else the file and line.
        if let id = origin.logEvent?.id, id.count > 0 {
            if let group = origin.logEvent?.logGroup { envelope.identity.append(contentsOf: group.utf8) }
            envelope.identity.append(UInt8(ascii: ":"))
            envelope.identity.append(contentsOf: id)
        } else {
            envelope.identifyByLine(path: origin.context.identityPath, ordinal: origin.ordinal)
        }
    }

    private static func hexByte(_ byte: UInt8) -> String {
        var digits: [UInt8] = []
        HexDigits.appendLowercase(byte, to: &digits)
        return String(decoding: digits, as: UTF8.self)
    }
}

/// Where a database log line came from: what places its event (account, region, instance).
struct DatabaseAuditOrigin {
    let context: LogFileContext
    let logEvent: CloudWatchLogEvent?
    let ownerAccount: String?
    let ordinal: Int

    init(record: LogRecord, context: LogFileContext) {
        self.context = context
        logEvent = record.logEvent
        ownerAccount = record.ownerAccount
        ordinal = record.ordinal
    }

    /// The instance, cluster, group and stream: the payload's, else an export's from its S3 key.
    var placement: DatabaseAuditPlacement? { logEvent?.placement ?? context.exportedPlacement }
}

/// Writes a parsed line's `detail` object, noting where each member lies.
enum DatabaseAuditDetailWriter {
    /// A field that is not valid UTF-8: which, and the offset in the line of its first bad byte.
    struct Failure {
        var field: String
        var offset: Int
    }

    /// Appends `{…}` to `detail` (emptied first); returns the first field that cannot be written.
    static func write(_ fields: DatabaseAuditFields, line: UnsafeRawBufferPointer, origin: DatabaseAuditOrigin,
                      engineKnown: Bool, into detail: inout [UInt8], notes: inout ObjectMemberIndex.Notes) -> Failure? {
        detail.removeAll(keepingCapacity: true)
        detail.append(UInt8(ascii: "{"))
        var writer = MemberWriter(line: line, isPostgres: fields.engine == .postgres)

        writer.key("logTime", &detail)
        let valueStart = detail.count
        appendLogTime(fields, line: line, to: &detail)
        writer.noteValue(from: valueStart, &detail, &notes)

        if let failure = writer.string("serverHost", fields.serverHost, &detail, &notes) { return failure }
        if let failure = writer.string("dbUserName", fields.dbUserName, &detail, &notes) { return failure }
        if let failure = writer.string("remoteHost", fields.remoteHost, &detail, &notes) { return failure }
        writer.number("remotePort", fields.remotePort, &detail, &notes)
        if let failure = writer.string("databaseName", fields.databaseName, &detail, &notes) { return failure }
        if let failure = writer.string("sessionId", fields.sessionID, &detail, &notes) { return failure }
        writer.number("statementId", fields.statementID, &detail, &notes)
        writer.number("substatementId", fields.substatementID, &detail, &notes)
        if let failure = writer.string("class", fields.auditClass, &detail, &notes) { return failure }
        if let command = fields.connectionCommand {
            let literal: StaticString = switch command {
            case .connect: #""CONNECT""#
            case .disconnect: #""DISCONNECT""#
            case .failedConnect: #""FAILED_CONNECT""#
            }
            writer.literal("command", literal, &detail, &notes)
        } else if let failure = writer.string("command", fields.command, &detail, &notes) {
            return failure
        }
        if let failure = writer.string("commandText", fields.commandText, &detail, &notes) { return failure }
        if fields.objectTypeIsTable {
            writer.literal("objectType", #""TABLE""#, &detail, &notes)
        } else if let failure = writer.string("objectType", fields.objectType, &detail, &notes) {
            return failure
        }
        if let failure = writer.string("objectName", fields.objectName, &detail, &notes) { return failure }
        writer.number("exitCode", fields.exitCode, &detail, &notes)
        if let failure = writer.string("errorMessage", fields.errorMessage, &detail, &notes) { return failure }
        if engineKnown {
            writer.literal("engine", fields.engine == .mysql ? #""mysql""# : #""postgres""#, &detail, &notes)
        }
        if let placement = origin.placement {
            writer.literal("dbInstance", placement.dbInstance, &detail, &notes)
            writer.literal("dbCluster", placement.dbCluster, &detail, &notes)
            writer.literal("logGroup", placement.logGroup, &detail, &notes)
            writer.literal("logStream", placement.logStream, &detail, &notes)
        }
        // The line as written (continuation lines with their tabs), in every case.
        writer.key("message", &detail)
        let messageStart = detail.count
        if let offset = JSONText.appendQuotedUTF8(UnsafeRawBufferPointer(rebasing: line[fields.message]), to: &detail) {
            return Failure(field: "message", offset: fields.message.lowerBound + offset)
        }
        writer.noteValue(from: messageStart, &detail, &notes)
        detail.append(UInt8(ascii: "}"))
        return nil
    }

    /// `2026-11-20T09:26:01.123456Z`: the line's time in UTC, with its fraction of a second when it has one.
    private static func appendLogTime(_ fields: DatabaseAuditFields, line: UnsafeRawBufferPointer, to detail: inout [UInt8]) {
        detail.append(UInt8(ascii: "\""))
        Timestamps.appendISO8601(fields.seconds, to: &detail)
        if let fraction = fields.fraction {
            detail.removeLast()  // the `Z`
            detail.append(UInt8(ascii: "."))
            detail.append(contentsOf: line[fraction])
            detail.append(UInt8(ascii: "Z"))
        } else if let microseconds = fields.epochMicroseconds {
            detail.removeLast()
            detail.append(UInt8(ascii: "."))
            var divisor = 100_000
            while divisor > 0 {
                detail.append(UInt8(48 + microseconds / divisor % 10))
                divisor /= 10
            }
            detail.append(UInt8(ascii: "Z"))
        }
        detail.append(UInt8(ascii: "\""))
    }

    /// Writes members one after another: `,"key":value`, noting each.
    private struct MemberWriter {
        let line: UnsafeRawBufferPointer
        /// PostgreSQL continues a message on lines that begin with a tab: the tab is not the text's.
        let isPostgres: Bool
        var isFirst = true
        var keyRange = 0..<0

        init(line: UnsafeRawBufferPointer, isPostgres: Bool) {
            self.line = line
            self.isPostgres = isPostgres
        }

        mutating func key(_ name: StaticString, _ detail: inout [UInt8]) {
            if !isFirst { detail.append(UInt8(ascii: ",")) }
            isFirst = false
            detail.append(UInt8(ascii: "\""))
            let start = detail.count
            detail.append(contentsOf: UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            keyRange = start..<detail.count
            detail.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }

        func noteValue(from start: Int, _ detail: inout [UInt8], _ notes: inout ObjectMemberIndex.Notes) {
            notes.append(key: keyRange, keyIsEscaped: false, value: start..<detail.count)
        }

        /// A number from its digits (and a leading `-`), without the leading zeros JSON forbids.
        mutating func number(_ name: StaticString, _ range: Range<Int>?, _ detail: inout [UInt8],
                             _ notes: inout ObjectMemberIndex.Notes) {
            guard let range, !range.isEmpty else { return }
            key(name, &detail)
            let start = detail.count
            var index = range.lowerBound
            if line[index] == UInt8(ascii: "-") {
                detail.append(UInt8(ascii: "-"))
                index += 1
            }
            while index < range.upperBound - 1, line[index] == UInt8(ascii: "0") { index += 1 }
            detail.append(contentsOf: line[index..<range.upperBound])
            noteValue(from: start, &detail, &notes)
        }

        /// A value already written as JSON (a placement's literal).
        mutating func literal(_ name: StaticString, _ value: [UInt8]?, _ detail: inout [UInt8],
                              _ notes: inout ObjectMemberIndex.Notes) {
            guard let value else { return }
            key(name, &detail)
            let start = detail.count
            detail.append(contentsOf: value)
            noteValue(from: start, &detail, &notes)
        }

        /// A JSON literal known at compile time.
        mutating func literal(_ name: StaticString, _ value: StaticString, _ detail: inout [UInt8],
                              _ notes: inout ObjectMemberIndex.Notes) {
            key(name, &detail)
            let start = detail.count
            detail.append(contentsOf: UnsafeRawBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount))
            noteValue(from: start, &detail, &notes)
        }

        mutating func string(_ name: StaticString, _ field: DatabaseAuditField?, _ detail: inout [UInt8],
                             _ notes: inout ObjectMemberIndex.Notes) -> Failure? {
            guard let field else { return nil }
            key(name, &detail)
            let start = detail.count
            detail.append(UInt8(ascii: "\""))
            if let offset = appendUnquoted(field, &detail) {
                return Failure(field: String(describing: name), offset: offset)
            }
            detail.append(UInt8(ascii: "\""))
            noteValue(from: start, &detail, &notes)
            return nil
        }

        /// The field's text with its quoting undone, escaped for JSON; the offset in the line of
        /// a byte that is not UTF-8, nil when all was written. Runs between the bytes that need
        /// undoing are copied at once.
        private func appendUnquoted(_ field: DatabaseAuditField, _ detail: inout [UInt8]) -> Int? {
            var runStart = field.range.lowerBound
            var index = field.range.lowerBound
            let end = field.range.upperBound
            func flush(to runEnd: Int, _ detail: inout [UInt8]) -> Int? {
                guard runEnd > runStart else { return nil }
                return JSONText.appendEscapedUTF8(UnsafeRawBufferPointer(rebasing: line[runStart..<runEnd]), to: &detail)
                    .map { runStart + $0 }
            }
            while index < end {
                let byte = line[index]
                if field.quoting == .backslash, byte == UInt8(ascii: "\\"), index + 1 < end {
                    if let bad = flush(to: index, &detail) { return bad }
                    let escaped = line[index + 1]
                    let decoded: UInt8? = switch escaped {
                    case UInt8(ascii: "n"): 0x0A
                    case UInt8(ascii: "r"): 0x0D
                    case UInt8(ascii: "t"): 0x09
                    case UInt8(ascii: "0"): 0x00
                    case UInt8(ascii: "'"), UInt8(ascii: "\\"), UInt8(ascii: "\""): escaped
                    default: nil
                    }
                    if let decoded {
                        withUnsafeBytes(of: decoded) { _ = JSONText.appendEscapedUTF8($0, to: &detail) }
                        index += 2
                        runStart = index
                    } else {
                        // Not an escape the plugin writes: kept as it is.
                        runStart = index
                        index += 1
                    }
                    continue
                }
                if field.quoting == .csv, byte == UInt8(ascii: "\""), index + 1 < end, line[index + 1] == UInt8(ascii: "\"") {
                    if let bad = flush(to: index + 1, &detail) { return bad }
                    index += 2
                    runStart = index
                    continue
                }
                if isPostgres, byte == 0x0A, index + 1 < end, line[index + 1] == 0x09 {
                    if let bad = flush(to: index + 1, &detail) { return bad }
                    index += 2
                    runStart = index
                    continue
                }
                index += 1
            }
            return flush(to: end, &detail)
        }
    }
}

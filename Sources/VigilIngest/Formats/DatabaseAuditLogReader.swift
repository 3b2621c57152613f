#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Database audit and connection logs as text: a log file downloaded from RDS
/// (`download-db-log-file-portion`: MySQL-family audit lines, or PostgreSQL lines with RDS's
/// prefix) or a CloudWatch Logs export to S3 (`PREFIX/TASK-ID/STREAM/000000.gz`, each line
/// `2026-11-20T09:41:02.000Z ` and the message). Recognized when the first line is such a line
/// (`DatabaseAuditLine`), whatever the file is called.
///
/// Each line is a record; a PostgreSQL message that spans lines continues on lines that begin with
/// a tab, which are read with the line they continue, so a multi-line statement is one event.
/// A line that fits no known shape is reported by the normalizer, like any bad record, and the
/// lines after it are read.
enum DatabaseAuditLogReader: LogFormatReader {
    /// How much of the first line is looked at to decide: a line longer than this is read by a
    /// later reader (the flow log reader reports it as an unknown format).
    static let recognitionLimit = 1 << 20

    static func recognizes(_ reader: LogFileReader) -> Bool {
        // Both forms, and the export's timestamp, begin with a digit: nothing else is looked at further.
        guard DatabaseAuditLine.isDigit(reader.window.bytes[reader.position]) else { return false }
        var wanted = 4096
        while true {
            let bytes = reader.window.bytes
            let available = min(reader.window.end - reader.position, recognitionLimit)
            let start = bytes.baseAddress! + reader.position
            if let found = memchr(start, 0x0A, available) {
                let line = UnsafeRawBufferPointer(start: start, count: start.distance(to: UnsafeRawPointer(found)))
                return DatabaseAuditLine.recognizes(line)
            }
            if available >= recognitionLimit { return false }
            if !reader.ensure(wanted) {
                let end = reader.window.end - reader.position
                return DatabaseAuditLine.recognizes(UnsafeRawBufferPointer(start: reader.window.bytes.baseAddress! + reader.position,
                                                                          count: end))
            }
            wanted *= 2
        }
    }

    static func read<Visitor: RecordVisitor>(_ reader: LogFileReader, into visitor: inout Visitor) {
        while let line = reader.readDatabaseLogLine(into: &visitor) {
            guard let line else { continue }
            let text = UnsafeRawBufferPointer(rebasing: reader.window.bytes[line])
            if text.allSatisfy(LogFileReader.isWhitespace) { continue }
            reader.visitDatabaseAuditLine(text, decodedOffset: reader.window.decodedOffset(of: line.lowerBound),
                                          into: &visitor)
        }
    }
}

extension LogFileReader {
    /// Hands on one database log line (its bytes valid during the visit) as a `.databaseAudit` record.
    func visitDatabaseAuditLine<Visitor: RecordVisitor>(_ line: UnsafeRawBufferPointer, decodedOffset: Int,
                                                        ownerAccount: String? = nil, logEvent: CloudWatchLogEvent? = nil,
                                                        into visitor: inout Visitor) {
        visitor.visit(LogRecord(kind: .databaseAudit, bytes: line, ordinal: ordinal, decodedOffset: decodedOffset,
                                ownerAccount: ownerAccount, logEvent: logEvent))
        ordinal += 1
    }

    /// The next line with the lines that continue it (each beginning with a tab), as one window
    /// range without the last terminator; `.some(nil)` for one over the record size limit, which
    /// has been reported and skipped; nil at the end of the input.
    ///
    /// Like `readLine`, but a newline followed by a tab does not end the record: PostgreSQL writes
    /// the second and later lines of a message (a statement's text) that way.
    func readDatabaseLogLine<Visitor: RecordVisitor>(into visitor: inout Visitor) -> Range<Int>?? {
        mark = position
        defer { mark = nil }
        var scanFrom = position
        while true {
            let bytes = window.bytes
            if scanFrom < bytes.count,
               let found = memchr(bytes.baseAddress! + scanFrom, 0x0A, bytes.count - scanFrom) {
                var newline = bytes.baseAddress!.distance(to: UnsafeRawPointer(found))
                // Whether a tab follows decides where the record ends: read on to see.
                if newline + 1 >= window.end {
                    let scannedTo = newline - mark!
                    let more = readMore()
                    // Reading more may move the window even when nothing more came.
                    newline = mark! + scannedTo
                    if more {
                        scanFrom = newline
                        continue
                    }
                    // Nothing more yet: the newline ends the record (a provisional end sees the
                    // continuation, if any comes, as a line of its own — the same as a file cut there).
                } else if window.bytes[newline + 1] == 0x09 {
                    if newline - mark! > limits.maximumRecordSize {
                        reportOversized(at: mark!, what: "A database log line", into: &visitor)
                        position = newline + 1
                        skipContinuationLines()
                        return .some(nil)
                    }
                    scanFrom = newline + 1
                    continue
                }
                let line = mark!..<newline
                position = newline + 1
                if line.count > limits.maximumRecordSize {
                    reportOversized(at: line.lowerBound, what: "A database log line", into: &visitor)
                    return .some(nil)
                }
                return .some(line)
            }
            let scanned = bytes.count - mark!
            if scanned > limits.maximumRecordSize {
                reportOversized(at: mark!, what: "A database log line", into: &visitor)
                skipPastNewline()
                skipContinuationLines()
                return .some(nil)
            }
            guard readMore() else {
                let end = window.end
                guard mark! < end else { return nil }
                // Cut short by damage: the unfinished line is not a record (see `readLine`).
                guard window.inputProblem == nil else {
                    position = end
                    return nil
                }
                if endIsNotFinal() { return nil }
                let line = mark!..<end
                position = end
                return .some(line)
            }
            scanFrom = mark! + scanned
        }
    }

    /// Drops the continuation lines (beginning with a tab) of a line that was too long.
    private func skipContinuationLines() {
        while ensure(1), window.bytes[position] == 0x09 { skipPastNewline() }
    }
}

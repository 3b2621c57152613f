#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finding lines in the window: the records of JSON Lines, flow logs and base64 payloads.
extension LogFileReader {
    /// The next line's range (without its terminator); `.some(nil)` for a line too long, which
    /// has been reported and skipped; nil at the end of the input.
    func readLine<Visitor: RecordVisitor>(into visitor: inout Visitor) -> Range<Int>?? {
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

    /// Drops input up to and including the next newline.
    func skipPastNewline() {
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

    /// The next line with the whitespace around it trimmed, as a window range, and where the
    /// line starts (before its leading whitespace); `.some(nil)` for a line that is blank or was
    /// skipped; nil at the end of the input.
    func nextTrimmedLine<Visitor: RecordVisitor>(into visitor: inout Visitor) -> (contents: Range<Int>, lineStart: Int)?? {
        guard let line = readLine(into: &visitor) else { return nil }
        guard let line else { return .some(nil) }
        var start = line.lowerBound
        var end = line.upperBound
        let bytes = window.bytes
        while start < end, Self.isWhitespace(bytes[start]) { start += 1 }
        while end > start, Self.isWhitespace(bytes[end - 1]) { end -= 1 }
        return .some(start == end ? nil : (start..<end, line.lowerBound))
    }
}

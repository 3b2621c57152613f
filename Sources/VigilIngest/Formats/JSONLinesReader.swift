#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// JSON Lines: one object per line — CloudTrail records, GuardDuty findings (GuardDuty's S3
/// export), EventBridge events —, each classified on its own; a bad line is reported and the next
/// line read.
enum JSONLinesReader: LogFormatReader {
    static func recognizes(_ reader: LogFileReader) -> Bool {
        reader.window.bytes[reader.position] == UInt8(ascii: "{") && reader.startsJSONLines()
    }

    static func read<Visitor: RecordVisitor>(_ reader: LogFileReader, into visitor: inout Visitor) {
        // Too little yet to tell JSON Lines from pretty-printed JSON: wait for more.
        if reader.endedEarly || reader.wasCancelled { return }
        while let line = reader.nextTrimmedLine(into: &visitor) {
            guard let (object, _) = line else { continue }
            reader.handleObject(UnsafeRawBufferPointer(rebasing: reader.window.bytes[object]),
                                decodedOffset: reader.window.decodedOffset(of: object.lowerBound), into: &visitor)
        }
    }
}

extension LogFileReader {
    /// Whether the object at `position` ends on the line it starts on, with nothing after it on
    /// that line: the mark of JSON Lines (one record per line), as opposed to pretty-printed JSON.
    func startsJSONLines() -> Bool {
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
                // No newline within the limit: not one record per line. Read as a stream of values,
                // the object is kept and the blanks after it pass without being held.
                if scanned > limits.maximumRecordSize { return false }
            }
            guard readMore() else {
                if !valueEnded { _ = endIsNotFinal() }
                return true
            }
        }
    }
}

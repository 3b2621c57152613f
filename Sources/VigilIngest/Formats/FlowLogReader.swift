/// VPC flow log text: lines of space-separated fields, after a header line naming them (S3
/// delivery, any field order) or, without one, in AWS's default v2 format. Whatever no other
/// reader recognized comes here: a first line that is neither a header nor a default-format
/// record makes the input a format Vigil does not read.
enum FlowLogReader: LogFormatReader {
    static func recognizes(_ reader: LogFileReader) -> Bool { true }

    static func read<Visitor: RecordVisitor>(_ reader: LogFileReader, into visitor: inout Visitor) {
        reader.readFlowLog(into: &visitor)
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
}

extension LogFileReader {
    /// Reads flow log lines; a header line (first or later) sets the fields of the lines after it.
    func readFlowLog<Visitor: RecordVisitor>(into visitor: inout Visitor) {
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
                guard FlowLogReader.looksLikeDefaultFlowRecord(text) else {
                    visitor.report(InputProblem(.unknownFormat, path: path, offset: window.decodedOffset(of: line.lowerBound),
                                                reason: "Not a format Vigil reads (CloudTrail, VPC Flow Logs, GuardDuty, EventBridge events, CloudWatch Logs payloads, database audit logs)"))
                    return
                }
                format = .defaultV2
            }
            visit(.flowLog, text, decodedOffset: window.decodedOffset(of: line.lowerBound),
                  flowFormat: format ?? .defaultV2, into: &visitor)
        }
    }
}

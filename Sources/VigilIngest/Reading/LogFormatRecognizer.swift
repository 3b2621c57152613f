/// Recognizes the form of an input by its content (ARCHITECTURE.md) — never by its name — and reads it
/// with that form's reader.
enum LogFormatRecognizer {
    /// Every form Vigil reads, in the order they are tried: the first that recognizes the input
    /// reads it. The last, flow log text, takes whatever is left, and reports input that is no
    /// flow log either as a format Vigil does not read.
    static let readers: [any LogFormatReader.Type] = [
        RecordArrayReader.self,        // `{"Records"|"Events"|"Findings":[…]…}` streamed, or a bare `[…]`
        JSONLinesReader.self,          // `{…}` objects one per line
        JSONValueStreamReader.self,    // `{…}` objects, pretty-printed or not, one after another
        CloudWatchLogsPayloadReader.self,  // base64 lines, `H4sI…`
        DatabaseAuditLogReader.self,   // MySQL audit or PostgreSQL lines (downloaded, or a CloudWatch Logs export)
        FlowLogReader.self,            // text lines
    ]

    /// Skips what is not content (whitespace, a UTF-8 byte order mark), then reads the input with
    /// the first reader that recognizes it; an input without content is an empty file.
    static func read<Visitor: RecordVisitor>(_ reader: LogFileReader, into visitor: inout Visitor) {
        guard reader.skipWhitespace() else {
            reader.skipEmpty(into: &visitor)
            return
        }
        // A UTF-8 byte order mark, which some tools write, is not content.
        if reader.ensure(3), reader.window.bytes[reader.position] == 0xEF, reader.window.bytes[reader.position + 1] == 0xBB,
           reader.window.bytes[reader.position + 2] == 0xBF {
            reader.position += 3
            guard reader.skipWhitespace() else {
                // Nothing but the mark: as empty as a zero-byte file.
                reader.skipEmpty(into: &visitor)
                return
            }
        }
        for form in readers where form.recognizes(reader) {
            form.read(reader, into: &visitor)
            return
        }
    }
}

/// JSON values one after another, separated by whitespace, pretty-printed or not (`aws … get-…`
/// output saved to a file, `jq` output): each object is classified on its own; arrays of records
/// and containers among them are read as `RecordArrayReader` reads them.
enum JSONValueStreamReader: LogFormatReader {
    static func recognizes(_ reader: LogFileReader) -> Bool {
        reader.window.bytes[reader.position] == UInt8(ascii: "{")
    }

    static func read<Visitor: RecordVisitor>(_ reader: LogFileReader, into visitor: inout Visitor) {
        reader.readValueStream(into: &visitor)
    }
}

extension LogFileReader {
    /// Reads JSON values one after another, separated by whitespace (pretty-printed or not).
    func readValueStream<Visitor: RecordVisitor>(into visitor: inout Visitor) {
        while skipWhitespace() {
            let byte = window.bytes[position]
            if byte == UInt8(ascii: "[") {
                position += 1
                readArrayElements(container: nil, into: &visitor)
                continue
            }
            if byte == UInt8(ascii: "{"), let (container, elements) = containerAhead() {
                position = elements
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
                             decodedOffset: window.decodedOffset(of: value.lowerBound),
                             isValidated: lastValueIsValidated, into: &visitor)
            }
        }
    }
}

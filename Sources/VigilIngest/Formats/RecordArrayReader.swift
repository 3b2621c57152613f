import VigilJSON

/// Arrays of records, streamed element by element so that a file of hundreds of megabytes is
/// never held whole: a bare array `[…]`, or an object whose first member holds the array — a
/// `RecordContainer` such as a CloudTrail log file's `{"Records":[…]}` —, which more may follow
/// (`cat` of two log files, pages of `lookup-events` output), read then as a stream of values.
enum RecordArrayReader: LogFormatReader {
    static func recognizes(_ reader: LogFileReader) -> Bool {
        switch reader.window.bytes[reader.position] {
        case UInt8(ascii: "["): return true
        case UInt8(ascii: "{"): return reader.containerAhead() != nil
        default: return false
        }
    }

    static func read<Visitor: RecordVisitor>(_ reader: LogFileReader, into visitor: inout Visitor) {
        guard reader.window.bytes[reader.position] == UInt8(ascii: "{"), let (container, elements) = reader.containerAhead() else {
            reader.position += 1  // past the bare array's `[`
            reader.readArrayElements(container: nil, into: &visitor)
            return
        }
        reader.position = elements
        guard reader.readArrayElements(container: container, into: &visitor), reader.finishContainer(into: &visitor) else {
            return
        }
        JSONValueStreamReader.read(reader, into: &visitor)
    }
}

extension LogFileReader {
    /// If the member after the `{` or `,` at `position` (the start of an object, or the member
    /// after a container's array) has a container's key and holds an array: the container, and
    /// the offset just past the array's `[`.
    ///
    /// A few short members with scalar values may come before it: Config's files begin
    /// `{"fileVersion":"1.0","configSnapshotId":"…","configurationItems":[`. They are passed over
    /// (they hold no records); anything else before the array (an object, an array, a long
    /// prefix) leaves the object to be read whole.
    func containerAhead() -> (container: RecordContainer, elements: Int)? {
        // The keys and the first byte of the array must fit in a small prefix, looked at alone:
        // however much more the window happens to hold (a whole small file, or one 4 KiB buffer
        // of a ring decoded ahead), the answer is the same (fuzz-records-gzip found it was not).
        _ = ensure(Self.containerPrefix)
        let bytes = UnsafeRawBufferPointer(rebasing: window.bytes[..<min(window.bytes.count, position + Self.containerPrefix)])
        var offset = position
        for _ in 0..<8 {
            offset = JSONBytes.skipWhitespace(bytes, from: offset + 1)
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { return nil }
            // The key, and every value passed over, is validated: members that are not JSON (a
            // raw newline in a string) leave the object to be read whole and reported.
            guard let keyEnd = try? JSONValidator.validateValue(bytes, from: offset, maximumDepth: 1) else { return nil }
            let key = UnsafeRawBufferPointer(rebasing: bytes[(offset + 1)..<(keyEnd - 1)])
            offset = JSONBytes.skipWhitespace(bytes, from: keyEnd)
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else { return nil }
            offset = JSONBytes.skipWhitespace(bytes, from: offset + 1)
            guard offset < bytes.count else { return nil }
            if let container = RecordContainer(key: key) {
                guard bytes[offset] == UInt8(ascii: "[") else { return nil }
                return (container, offset + 1)
            }
            // A scalar member before the container's: passed over, up to the comma after it.
            guard bytes[offset] != UInt8(ascii: "{"), bytes[offset] != UInt8(ascii: "["),
                  let end = try? JSONValidator.validateValue(bytes, from: offset, maximumDepth: 1) else { return nil }
            offset = JSONBytes.skipWhitespace(bytes, from: end)
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: ",") else { return nil }
        }
        return nil
    }

    /// How far `containerAhead` looks: the keys and scalar members before a container's array.
    static let containerPrefix = 4096

    /// Reads the elements of an array whose `[` has been consumed, each a record; `container`
    /// says what the enclosing object's key promised. Returns true when the array's `]` was read,
    /// false when the input ended first.
    @discardableResult
    func readArrayElements<Visitor: RecordVisitor>(container: RecordContainer?, into visitor: inout Visitor) -> Bool {
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

    /// After a container's array: reads the arrays of the members right after it that have a
    /// container's key as well, then skips the rest of the container object (a `NextToken`, say),
    /// which holds no records, without keeping its bytes. False when the input ends first.
    ///
    /// `{"Records":[A],"Records":[B]}` is no file AWS writes, but a JSON parser would see only B
    /// and a reader stopping at the first array only A: both are read, so that no record in a
    /// file passes unseen.
    func finishContainer<Visitor: RecordVisitor>(into visitor: inout Visitor) -> Bool {
        while skipWhitespace(), window.bytes[position] == UInt8(ascii: ","),
              let (container, elements) = containerAhead() {
            position = elements
            guard readArrayElements(container: container, into: &visitor) else { return false }
        }
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
                // The string (reported already) is dropped as it passes, not kept: however long it
                // is, the window holds no more of it than one read.
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
                    // An escape's backslash at the window's end leaves its second byte to pass over.
                    let escaped = max(0, from - window.end)
                    position = window.end
                    guard readMore() else { return false }
                    from = min(position + escaped, window.end)
                }
                continue
            }
            position += 1
        }
        return false
    }
}

/// The members of a JSON object, read as byte ranges without decoding their values.
public enum JSONMembers {
    /// One member: the key (unescaped) and the byte range of its value within the object's buffer.
    public struct Member: Sendable {
        public let key: String
        public let value: Range<Int>
    }

    /// The top-level members of the object in `bytes`, in order.
    public static func read(_ bytes: UnsafeRawBufferPointer) throws(EventError) -> [Member] {
        var members: [Member] = []
        var keyBytes: [UInt8] = []
        try forEach(in: bytes) { key, keyIsEscaped, value in
            if keyIsEscaped {
                JSONString.unescape(key, into: &keyBytes)
                members.append(Member(key: String(decoding: keyBytes, as: UTF8.self), value: value))
            } else {
                members.append(Member(key: String(decoding: key, as: UTF8.self), value: value))
            }
            return true
        }
        return members
    }

    /// Calls `body` with each top-level member of the object in `bytes`, in order, allocating
    /// nothing: the key's contents as written (still escaped when `keyIsEscaped`) and the byte range
    /// of the value. `body` returns false to stop early. Skipped values are checked only loosely
    /// (balanced brackets, closed strings); validate first where that matters.
    public static func forEach(
        in bytes: UnsafeRawBufferPointer,
        _ body: (_ key: UnsafeRawBufferPointer, _ keyIsEscaped: Bool, _ value: Range<Int>) throws(EventError) -> Bool
    ) throws(EventError) {
        try walk(bytes) { key, keyIsEscaped, valueStart throws(EventError) in
            let valueEnd = try JSONBytes.skipValue(bytes, from: valueStart, depth: 1)
            return try body(key, keyIsEscaped, valueStart..<valueEnd) ? valueEnd : nil
        }
    }

    /// Where the value of the first member called `name` (unescaped) starts in the object in
    /// `bytes`, or nil when there is none. The value itself is not read: an alert's dedup key
    /// `$.detail.srcaddr` found `detail` with `forEach`, which walked all of `detail` (hundreds of
    /// bytes) before it was entered; that was 5 % of a 20-rule flow log replay's instructions.
    /// `scratch` holds an escaped key while it is compared.
    public static func valueStart(ofMember name: UnsafeRawBufferPointer, in bytes: UnsafeRawBufferPointer,
                                  scratch: inout [UInt8]) throws(EventError) -> Int? {
        var found: Int?
        try walk(bytes) { key, keyIsEscaped, valueStart throws(EventError) in
            let isName: Bool
            if keyIsEscaped {
                JSONString.unescape(key, into: &scratch)
                isName = scratch.elementsEqual(name)
            } else {
                isName = JSONBytes.equals(key, name)
            }
            if isName {
                found = valueStart
                return nil
            }
            return try JSONBytes.skipValue(bytes, from: valueStart, depth: 1)
        }
        return found
    }

    /// The walk over an object's members that `forEach` and `valueStart(ofMember:)` share: `body`
    /// gets each key and where its value starts, and returns where the value ends, to go on, or
    /// nil to stop.
    private static func walk(
        _ bytes: UnsafeRawBufferPointer,
        _ body: (_ key: UnsafeRawBufferPointer, _ keyIsEscaped: Bool, _ valueStart: Int) throws(EventError) -> Int?
    ) throws(EventError) {
        var position = JSONBytes.skipWhitespace(bytes, from: 0)
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else {
            throw EventError("Expected a JSON object", offset: position)
        }
        position = JSONBytes.skipWhitespace(bytes, from: position + 1)
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { return }
        while true {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw EventError("Expected a double-quoted key", offset: position)
            }
            var escaped = false
            guard let keyEnd = JSONString.end(in: bytes, from: position + 1, escaped: &escaped) else {
                throw EventError("Unterminated string", offset: position)
            }
            let key = UnsafeRawBufferPointer(rebasing: bytes[(position + 1)..<keyEnd])
            position = JSONBytes.skipWhitespace(bytes, from: keyEnd + 1)
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw EventError("Expected ':' after a key", offset: position)
            }
            let valueStart = JSONBytes.skipWhitespace(bytes, from: position + 1)
            guard valueStart < bytes.count else { throw EventError("Unexpected end of input", offset: valueStart) }
            guard let valueEnd = try body(key, escaped, valueStart) else { return }
            position = JSONBytes.skipWhitespace(bytes, from: valueEnd)
            guard position < bytes.count else { throw EventError("Unexpected end of input", offset: position) }
            if bytes[position] == UInt8(ascii: "}") { return }
            guard bytes[position] == UInt8(ascii: ",") else {
                throw EventError("Expected ',' or '}'", offset: position)
            }
            position = JSONBytes.skipWhitespace(bytes, from: position + 1)
        }
    }

    /// The contents of the string value at `range` (without quotes, still escaped when
    /// `isEscaped`), or nil when the value is not a string.
    public static func stringContents(of range: Range<Int>, in bytes: UnsafeRawBufferPointer)
        -> (contents: Range<Int>, isEscaped: Bool)? {
        guard range.count >= 2, bytes[range.lowerBound] == UInt8(ascii: "\"") else { return nil }
        let contents = (range.lowerBound + 1)..<(range.upperBound - 1)
        // The first quote or backslash from the start: the closing quote unless there is an escape.
        let special = JSONString.nextQuoteOrBackslash(in: bytes, from: contents.lowerBound) ?? contents.upperBound
        return (contents, special < contents.upperBound)
    }

    /// The string value at `range`, unescaped, or nil when the value is not a string.
    public static func string(at range: Range<Int>, in bytes: UnsafeRawBufferPointer) -> String? {
        guard let (contents, isEscaped) = stringContents(of: range, in: bytes) else { return nil }
        let raw = UnsafeRawBufferPointer(rebasing: bytes[contents])
        guard isEscaped else { return String(decoding: raw, as: UTF8.self) }
        var unescaped: [UInt8] = []
        JSONString.unescape(raw, into: &unescaped)
        return String(decoding: unescaped, as: UTF8.self)
    }

    /// The value at `range` as JSON text: a string's unescaped contents, any other value's own
    /// bytes (how the AWS APIs carry a pattern or an event: as an object, or as a string holding
    /// its JSON text).
    public static func jsonText(at range: Range<Int>, in bytes: UnsafeRawBufferPointer) -> [UInt8] {
        guard let (contents, _) = stringContents(of: range, in: bytes) else { return Array(bytes[range]) }
        var unescaped: [UInt8] = []
        JSONString.unescape(UnsafeRawBufferPointer(rebasing: bytes[contents]), into: &unescaped)
        return unescaped
    }
}

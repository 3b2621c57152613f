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
        var position = EventScanner.skipWhitespace(bytes, from: 0)
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else {
            throw EventError("Expected a JSON object", offset: position)
        }
        position = EventScanner.skipWhitespace(bytes, from: position + 1)
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { return [] }
        while true {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw EventError("Expected a double-quoted key", offset: position)
            }
            var escaped = false
            guard let keyEnd = JSONString.end(in: bytes, from: position + 1, escaped: &escaped) else {
                throw EventError("Unterminated string", offset: position)
            }
            var keyBytes: [UInt8] = []
            JSONString.unescape(UnsafeRawBufferPointer(rebasing: bytes[(position + 1)..<keyEnd]), into: &keyBytes)
            position = EventScanner.skipWhitespace(bytes, from: keyEnd + 1)
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw EventError("Expected ':' after a key", offset: position)
            }
            let valueStart = EventScanner.skipWhitespace(bytes, from: position + 1)
            guard valueStart < bytes.count else { throw EventError("Unexpected end of input", offset: valueStart) }
            let valueEnd = try EventScanner.skipValue(bytes, from: valueStart, depth: 1)
            members.append(Member(key: String(decoding: keyBytes, as: UTF8.self), value: valueStart..<valueEnd))
            position = EventScanner.skipWhitespace(bytes, from: valueEnd)
            guard position < bytes.count else { throw EventError("Unexpected end of input", offset: position) }
            if bytes[position] == UInt8(ascii: "}") { return members }
            guard bytes[position] == UInt8(ascii: ",") else {
                throw EventError("Expected ',' or '}'", offset: position)
            }
            position = EventScanner.skipWhitespace(bytes, from: position + 1)
        }
    }
}

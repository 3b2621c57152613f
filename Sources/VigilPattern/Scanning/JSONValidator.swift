/// Strict RFC 8259 validation of one JSON value, without building it.
///
/// The matcher's scanner skips subtrees no pattern names and only checks them loosely; where an
/// input must be proven well-formed (an event given to `test-pattern`, a record a reader is about
/// to hand on), this validator checks every byte: grammar, escapes, numbers, literals, control
/// characters in strings, nesting depth and trailing content.
public enum JSONValidator {
    /// Throws the first problem found, with its byte offset.
    public static func validate(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int = 1000) throws(EventError) {
        var isArray: [Bool] = []
        var position = EventScanner.skipWhitespace(bytes, from: 0)
        let count = bytes.count
        guard position < count else { throw EventError("Empty input where JSON was expected", offset: 0) }
        var expectingValue = true
        var first = true
        while true {
            position = EventScanner.skipWhitespace(bytes, from: position)
            if isArray.isEmpty && !expectingValue {
                guard position == count else {
                    throw EventError("Unexpected content after the JSON value", offset: position)
                }
                return
            }
            guard position < count else { throw EventError("Unexpected end of input", offset: position) }
            let byte = bytes[position]
            if !expectingValue {
                let inArray = isArray[isArray.count - 1]
                if byte == UInt8(ascii: ",") {
                    position += 1
                    expectingValue = true
                    first = false
                    continue
                }
                guard byte == (inArray ? UInt8(ascii: "]") : UInt8(ascii: "}")) else {
                    throw EventError(inArray ? "Expected ',' or ']'" : "Expected ',' or '}'", offset: position)
                }
                isArray.removeLast()
                position += 1
                continue
            }
            if let inArray = isArray.last {
                if first && byte == (inArray ? UInt8(ascii: "]") : UInt8(ascii: "}")) {
                    isArray.removeLast()
                    position += 1
                    expectingValue = false
                    continue
                }
                if !inArray {
                    guard byte == UInt8(ascii: "\"") else { throw EventError("Expected a double-quoted key", offset: position) }
                    position = try validateString(bytes, from: position)
                    position = EventScanner.skipWhitespace(bytes, from: position)
                    guard position < count, bytes[position] == UInt8(ascii: ":") else {
                        throw EventError("Expected ':' after a key", offset: position)
                    }
                    position = EventScanner.skipWhitespace(bytes, from: position + 1)
                    guard position < count else { throw EventError("Unexpected end of input", offset: position) }
                }
            }
            let valueByte = bytes[position]
            expectingValue = false
            switch valueByte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard isArray.count < maximumDepth else {
                    throw EventError("Nesting deeper than \(maximumDepth) levels", offset: position, kind: .tooDeep)
                }
                isArray.append(valueByte == UInt8(ascii: "["))
                position += 1
                expectingValue = true
                first = true
            case UInt8(ascii: "\""):
                position = try validateString(bytes, from: position)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let end = try EventScanner.scalarEnd(bytes, from: position)
                guard isValidNumber(UnsafeRawBufferPointer(rebasing: bytes[position..<end])) else {
                    throw EventError("Invalid number", offset: position)
                }
                position = end
            default:
                position = try EventScanner.scalarEnd(bytes, from: position)
            }
        }
    }

    public static func validate(_ bytes: [UInt8]) throws(EventError) {
        var outcome: Result<Void, EventError> = .success(())
        bytes.withUnsafeBytes { buffer in
            do throws(EventError) { try validate(buffer) } catch { outcome = .failure(error) }
        }
        try outcome.get()
    }

    /// Returns the offset just past the closing quote of the string starting at `start`.
    static func validateString(_ bytes: UnsafeRawBufferPointer, from start: Int) throws(EventError) -> Int {
        var position = start + 1
        let count = bytes.count
        while position < count {
            // Eight plain ASCII characters at a time: no quote, backslash, control or non-ASCII byte.
            while position + 8 <= count {
                let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                let quote = word ^ 0x2222_2222_2222_2222
                let backslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
                let special = (quote &- 0x0101_0101_0101_0101) & ~quote
                    | (backslash &- 0x0101_0101_0101_0101) & ~backslash
                    | (word &- 0x2020_2020_2020_2020) & ~word
                    | word
                if special & 0x8080_8080_8080_8080 != 0 { break }
                position += 8
            }
            guard position < count else { break }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                return position + 1
            case UInt8(ascii: "\\"):
                guard position + 1 < count else { break }
                switch bytes[position + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 2
                case UInt8(ascii: "u"):
                    guard position + 6 <= count else { throw EventError("Truncated \\u escape", offset: position) }
                    for offset in 2..<6 where bytes[position + offset].hexDigitValue == nil {
                        throw EventError("Invalid \\u escape", offset: position)
                    }
                    position += 6
                default:
                    throw EventError("Invalid escape '\\\(Character(Unicode.Scalar(bytes[position + 1])))'", offset: position)
                }
            case 0..<0x20:
                throw EventError("Unescaped control character in a string", offset: position)
            case 0x80...:
                position = try validateUTF8Sequence(bytes, at: position)
            default:
                position += 1
            }
        }
        throw EventError("Unterminated string", offset: start)
    }

    /// The offset past the multi-byte UTF-8 sequence starting at `start`.
    static func validateUTF8Sequence(_ bytes: UnsafeRawBufferPointer, at start: Int) throws(EventError) -> Int {
        let length = UTF8Sequence.length(in: bytes, at: start)
        guard length > 0 else { throw EventError("Invalid UTF-8", offset: start) }
        return start + length
    }

    /// RFC 8259 number grammar: `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    static func isValidNumber(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        func digits() -> Int {
            let start = index
            while index < count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }
        if index < count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < count else { return false }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            return false
        }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            if digits() == 0 { return false }
        }
        if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            if digits() == 0 { return false }
        }
        return index == count
    }
}

/// Strict RFC 8259 validation of one JSON value, without building it.
///
/// The matcher's scanner skips subtrees no pattern names and only checks them loosely; where an
/// input must be proven well-formed (an event given to `test-pattern`, a record a reader is about
/// to hand on), this validator checks every byte: grammar, escapes, numbers, literals, control
/// characters in strings, nesting depth and trailing content.
///
/// Readers use it to find where a record ends as well (`validateValue`), and have it note where
/// the record's top-level members lie (`ObjectMemberIndex`), so that a record in memory is walked
/// byte by byte once however many passes look at it.
public enum JSONValidator {
    /// Throws the first problem found, with its byte offset.
    public static func validate(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int = JSONBytes.maximumDepth,
                                members: ObjectMemberIndex? = nil) throws(EventError) {
        let end = try validateValue(bytes, from: 0, maximumDepth: maximumDepth, members: members)
        let position = JSONBytes.skipWhitespace(bytes, from: end)
        guard position == bytes.count else {
            throw EventError("Unexpected content after the JSON value", offset: position)
        }
    }

    public static func validate(_ bytes: [UInt8]) throws(EventError) {
        var outcome: Result<Void, EventError> = .success(())
        bytes.withUnsafeBytes { buffer in
            do throws(EventError) { try validate(buffer) } catch { outcome = .failure(error) }
        }
        try outcome.get()
    }

    /// Validates the JSON value that starts at `start` (after optional whitespace) and returns the
    /// offset just past it; what follows is not looked at. Throws the first problem found, which
    /// is also what happens when `bytes` end before the value does.
    ///
    /// - Parameter members: when given and the value is an object, filled with where its
    ///   top-level members lie, relative to the object's first byte.
    public static func validateValue(_ bytes: UnsafeRawBufferPointer, from start: Int, maximumDepth: Int = JSONBytes.maximumDepth,
                                     members: ObjectMemberIndex? = nil) throws(EventError) -> Int {
        // A well-formed record is proven by the vector validator where the CPU has one; anything
        // it does not prove is walked here, which finds the problem and where it lies.
        if let end = VectorJSONValidation.validateValue(bytes, from: start, maximumDepth: maximumDepth, members: members) {
            return end
        }
        return try scalarValidateValue(bytes, from: start, maximumDepth: maximumDepth, members: members)
    }

    /// `validateValue` byte by byte, without the vector validator: the reference it is held to.
    static func scalarValidateValue(_ bytes: UnsafeRawBufferPointer, from start: Int, maximumDepth: Int = JSONBytes.maximumDepth,
                                    members: ObjectMemberIndex? = nil) throws(EventError) -> Int {
        guard let members else {
            var unused = ObjectMemberIndex.Notes()
            return try validateValue(bytes, from: start, maximumDepth: maximumDepth, noting: false, into: &unused)
        }
        return try members.withNotes { (notes) throws(EventError) -> Int in
            try validateValue(bytes, from: start, maximumDepth: maximumDepth, noting: true, into: &notes)
        }
    }

    private static func validateValue(_ bytes: UnsafeRawBufferPointer, from start: Int, maximumDepth: Int,
                                      noting: Bool, into notes: inout ObjectMemberIndex.Notes) throws(EventError) -> Int {
        var nesting = NestingStack()
        var position = JSONBytes.skipWhitespace(bytes, from: start)
        let count = bytes.count
        guard position < count else { throw EventError("Empty input where JSON was expected", offset: position) }
        let objectStart = position
        var expectingValue = true
        var first = true
        // The member of the top-level object being read: its key and where its value starts.
        var memberKey = 0..<0
        var memberKeyIsEscaped = false
        var memberValueStart = 0
        while true {
            if nesting.depth == 0 && !expectingValue { return position }
            position = JSONBytes.skipWhitespace(bytes, from: position)
            guard position < count else { throw EventError("Unexpected end of input", offset: position) }
            let byte = bytes[position]
            if !expectingValue {
                let inArray = nesting.innermostIsArray
                if byte == UInt8(ascii: ",") {
                    position += 1
                    expectingValue = true
                    first = false
                    continue
                }
                guard byte == (inArray ? UInt8(ascii: "]") : UInt8(ascii: "}")) else {
                    throw EventError(inArray ? "Expected ',' or ']'" : "Expected ',' or '}'", offset: position)
                }
                nesting.pop()
                position += 1
                if nesting.depth == 1, noting, !nesting.innermostIsArray {
                    // A container value of the top-level object has ended.
                    notes.append(key: memberKey, keyIsEscaped: memberKeyIsEscaped,
                                   value: (memberValueStart - objectStart)..<(position - objectStart))
                }
                continue
            }
            if nesting.depth > 0 {
                let inArray = nesting.innermostIsArray
                if first && byte == (inArray ? UInt8(ascii: "]") : UInt8(ascii: "}")) {
                    nesting.pop()
                    position += 1
                    expectingValue = false
                    if nesting.depth == 1, noting, !nesting.innermostIsArray {
                        notes.append(key: memberKey, keyIsEscaped: memberKeyIsEscaped,
                                       value: (memberValueStart - objectStart)..<(position - objectStart))
                    }
                    continue
                }
                if !inArray {
                    guard byte == UInt8(ascii: "\"") else { throw EventError("Expected a double-quoted key", offset: position) }
                    let keyStart = position + 1
                    var escaped = false
                    position = try validateString(bytes, from: position, escaped: &escaped)
                    if nesting.depth == 1 {
                        memberKey = (keyStart - objectStart)..<(position - 1 - objectStart)
                        memberKeyIsEscaped = escaped
                    }
                    position = JSONBytes.skipWhitespace(bytes, from: position)
                    guard position < count, bytes[position] == UInt8(ascii: ":") else {
                        throw EventError("Expected ':' after a key", offset: position)
                    }
                    position = JSONBytes.skipWhitespace(bytes, from: position + 1)
                    guard position < count else { throw EventError("Unexpected end of input", offset: position) }
                    if nesting.depth == 1 { memberValueStart = position }
                }
            }
            let valueByte = bytes[position]
            expectingValue = false
            switch valueByte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard nesting.depth < maximumDepth else {
                    throw EventError("Nesting deeper than \(maximumDepth) levels", offset: position, kind: .tooDeep)
                }
                nesting.push(isArray: valueByte == UInt8(ascii: "["))
                position += 1
                expectingValue = true
                first = true
                continue
            case UInt8(ascii: "\""):
                var escaped = false
                position = try validateString(bytes, from: position, escaped: &escaped)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let end = try JSONBytes.scalarEnd(bytes, from: position)
                guard isValidNumber(UnsafeRawBufferPointer(rebasing: bytes[position..<end])) else {
                    throw EventError("Invalid number", offset: position)
                }
                position = end
            default:
                position = try JSONBytes.scalarEnd(bytes, from: position)
            }
            if nesting.depth == 1, noting, !nesting.innermostIsArray {
                // A scalar value of the top-level object has ended.
                notes.append(key: memberKey, keyIsEscaped: memberKeyIsEscaped,
                               value: (memberValueStart - objectStart)..<(position - objectStart))
            }
        }
    }

    /// Whether each open container is an array, innermost last. The first 64 levels live in a
    /// word, so validating an ordinary record allocates nothing.
    private struct NestingStack {
        private(set) var depth = 0
        private var bits: UInt64 = 0
        private var deeper: [Bool] = []

        var innermostIsArray: Bool {
            let level = depth - 1
            return level < 64 ? bits & (1 << UInt64(level)) != 0 : deeper[level - 64]
        }

        mutating func push(isArray: Bool) {
            if depth < 64 {
                if isArray { bits |= 1 << UInt64(depth) } else { bits &= ~(1 << UInt64(depth)) }
            } else {
                deeper.append(isArray)
            }
            depth += 1
        }

        mutating func pop() {
            depth -= 1
            if depth >= 64 { deeper.removeLast() }
        }
    }

    /// Returns the offset just past the closing quote of the string starting at `start`;
    /// `escaped` becomes true when the string holds a backslash.
    @inline(__always)
    static func validateString(_ bytes: UnsafeRawBufferPointer, from start: Int, escaped: inout Bool) throws(EventError) -> Int {
        var position = start + 1
        let count = bytes.count
        while position < count {
            // Sixteen, then eight, plain ASCII characters at a time: no quote, backslash, control
            // or non-ASCII byte.
            while position + 16 <= count {
                let low = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                let high = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position + 8, as: UInt64.self))
                if (specialBytes(low) | specialBytes(high)) != 0 { break }
                position += 16
            }
            while position + 8 <= count {
                let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                let special = specialBytes(word)
                if special != 0 {
                    // The lowest flagged byte is exact; the ones above it may not be.
                    position += special.trailingZeroBitCount >> 3
                    break
                }
                position += 8
            }
            guard position < count else { break }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                return position + 1
            case UInt8(ascii: "\\"):
                escaped = true
                guard position + 1 < count else { throw EventError("Unterminated string", offset: start) }
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

    /// The high bit of each byte of `word` that is a quote, a backslash, a control character or
    /// not ASCII, where the lowest such byte is flagged exactly (borrows may flag bytes above it).
    @inline(__always)
    private static func specialBytes(_ word: UInt64) -> UInt64 {
        let quote = word ^ 0x2222_2222_2222_2222
        let backslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
        return ((quote &- 0x0101_0101_0101_0101) & ~quote
            | (backslash &- 0x0101_0101_0101_0101) & ~backslash
            | (word &- 0x2020_2020_2020_2020) & ~word
            | word) & 0x8080_8080_8080_8080
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

import VigilJSON

/// A pull tokenizer for pattern text that reports JSON errors in the words of Jackson, the parser
/// behind AWS's event-ruler.
///
/// event-ruler compiles a pattern while it streams through the text, so a semantic error early in
/// the text wins over a syntax error later on (`{"a": {}, …garbage` is "Empty objects are not
/// allowed"). Pulling one token at a time reproduces that order; it also means text after the
/// closing brace of the pattern is never looked at, as in event-ruler.
///
/// Patterns are small and compiled once, so this tokenizer favours clarity over speed; the hot
/// path for events is `EventScanner`.
struct PatternTokenizer {
    enum Token: Equatable {
        case startObject, endObject, startArray, endArray
        case fieldName(String)
        case string(String)
        /// A number, with its text exactly as written.
        case number(String)
        case trueValue, falseValue, nullValue

        /// The text event-ruler's `parser.getText()` gives for this token.
        var text: String {
            switch self {
            case .startObject: return "{"
            case .endObject: return "}"
            case .startArray: return "["
            case .endArray: return "]"
            case .fieldName(let s), .string(let s), .number(let s): return s
            case .trueValue: return "true"
            case .falseValue: return "false"
            case .nullValue: return "null"
            }
        }

        var isNumber: Bool {
            if case .number = self { return true }
            return false
        }
    }

    private enum Container {
        case object(start: Int)
        case array(start: Int)
    }

    /// Where the next token may come from, as Jackson's parsing context tracks it.
    private enum Expectation {
        case rootValue
        case firstKeyOrEnd        // just after `{`
        case valueAfterKey        // just after `"key":`
        case commaOrEndInObject   // after a value inside an object
        case firstValueOrEnd      // just after `[`
        case commaOrEndInArray    // after a value inside an array
        case done                 // the root value is complete
    }

    /// The pattern text.
    let bytes: [UInt8]
    /// Where reading is in `bytes`.
    var position = 0
    private var containers: [Container] = []
    private var expectation = Expectation.rootValue
    /// Offset just past the last token returned, for error locations.
    private(set) var tokenEnd = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The next token, or `nil` when the root value is complete or the input is empty.
    mutating func next() throws(PatternError) -> Token? {
        let token = try readToken()
        tokenEnd = position
        return token
    }

    /// An error located at the current position, as event-ruler's `barf` reports them.
    func error(_ message: String, kind: PatternError.Kind = .malformed) -> PatternError {
        let (line, column) = lineAndColumn(of: tokenEnd)
        return PatternError(message, kind: kind, line: line, column: column)
    }

    // MARK: - Tokens

    private mutating func readToken() throws(PatternError) -> Token? {
        switch expectation {
        case .done:
            return nil
        case .rootValue:
            skipWhitespace()
            if position >= bytes.count { return nil }
            return try readValue()
        case .valueAfterKey:
            skipWhitespace()
            return try readValue()
        case .firstKeyOrEnd:
            skipWhitespace()
            if peek() == UInt8(ascii: "}") { return closeContainer() }
            return try readFieldName()
        case .commaOrEndInObject:
            skipWhitespace()
            guard let byte = peek() else { throw endOfInputInContainer() }
            if byte == UInt8(ascii: "}") { return closeContainer() }
            guard byte == UInt8(ascii: ",") else {
                throw unexpectedCharacter("was expecting comma to separate Object entries")
            }
            position += 1
            skipWhitespace()
            return try readFieldName()
        case .firstValueOrEnd:
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { return closeContainer() }
            return try readValue()
        case .commaOrEndInArray:
            skipWhitespace()
            guard let byte = peek() else { throw endOfInputInContainer() }
            if byte == UInt8(ascii: "]") { return closeContainer() }
            guard byte == UInt8(ascii: ",") else {
                throw unexpectedCharacter("was expecting comma to separate Array entries")
            }
            position += 1
            skipWhitespace()
            return try readValue()
        }
    }

    private mutating func readFieldName() throws(PatternError) -> Token {
        guard let byte = peek() else { throw endOfInputInContainer() }
        guard byte == UInt8(ascii: "\"") else {
            throw unexpectedCharacter("was expecting double-quote to start field name")
        }
        let name = try readString()
        skipWhitespace()
        guard let colon = peek() else { throw endOfInputInContainer() }
        guard colon == UInt8(ascii: ":") else {
            throw unexpectedCharacter("was expecting a colon to separate field name and value")
        }
        position += 1
        expectation = .valueAfterKey
        return .fieldName(name)
    }

    private mutating func readValue() throws(PatternError) -> Token {
        guard let byte = peek() else {
            if containers.isEmpty { throw PatternError("Unexpected end-of-input") }
            throw endOfInputInContainer()
        }
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            // The parser recurses once per level, so the limit is what keeps its stack bounded.
            guard containers.count < Self.maximumDepth else { throw tooDeep() }
        default:
            break
        }
        switch byte {
        case UInt8(ascii: "{"):
            containers.append(.object(start: position))
            position += 1
            expectation = .firstKeyOrEnd
            return .startObject
        case UInt8(ascii: "["):
            containers.append(.array(start: position))
            position += 1
            expectation = .firstValueOrEnd
            return .startArray
        case UInt8(ascii: "\""):
            let value = try readString()
            valueCompleted()
            return .string(value)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let text = try readNumber()
            valueCompleted()
            return .number(text)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            let token = try readKeyword()
            valueCompleted()
            return token
        default:
            if isIdentifierByte(byte) {
                throw unrecognizedToken(from: position)
            }
            throw unexpectedCharacter(
                "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')")
        }
    }

    private mutating func closeContainer() -> Token {
        let closed = containers.removeLast()
        position += 1
        valueCompleted()
        if case .object = closed { return .endObject }
        return .endArray
    }

    /// After a complete value, what may follow depends on the enclosing container.
    private mutating func valueCompleted() {
        switch containers.last {
        case .none: expectation = .done
        case .object: expectation = .commaOrEndInObject
        case .array: expectation = .commaOrEndInArray
        }
    }

    // MARK: - Errors

    /// Jackson's default nesting limit (`StreamReadConstraints.DEFAULT_MAX_DEPTH`), which is also
    /// the limit of every other JSON Vigil reads: a pattern gets the same whether it arrives as an
    /// object in a rule file (validated with the file) or as JSON text in a string or an argument.
    static var maximumDepth: Int { JSONBytes.maximumDepth }

    /// Jackson's words for the level past the limit. event-ruler does not retry this error with its
    /// legacy compiler (a `StreamConstraintsException` is no `JsonParseException`), hence `.limit`.
    private func tooDeep() -> PatternError {
        PatternError(
            "Document nesting depth (\(containers.count + 1)) exceeds the maximum allowed (\(Self.maximumDepth), from `StreamReadConstraints.getMaxNestingDepth()`)",
            kind: .limit
        ).located(lineAndColumn(of: position))
    }

    func unrecognizedToken(from start: Int) -> PatternError {
        var end = start
        while end < bytes.count, isIdentifierByte(bytes[end]) { end += 1 }
        let token = String(decoding: bytes[start..<max(end, start + 1)], as: UTF8.self)
        return PatternError(
            "Unrecognized token '\(token)': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')")
    }

    private func unexpectedCharacter(_ expectation: String) -> PatternError {
        guard peek() != nil else { return endOfInputInContainer() }
        return PatternError("Unexpected character (\(describeCharacter(at: position))): \(expectation)")
            .located(lineAndColumn(of: position + 1))
    }

    private func endOfInputInContainer() -> PatternError {
        guard let container = containers.last else { return PatternError("Unexpected end-of-input") }
        let (kind, start): (String, Int)
        switch container {
        case .object(let s): (kind, start) = ("Object", s)
        case .array(let s): (kind, start) = ("Array", s)
        }
        let (line, column) = lineAndColumn(of: start + 1)
        return PatternError(
            "Unexpected end-of-input: expected close marker for \(kind) (start marker at [Source: (String)\"\(sourceExcerpt)\"; line: \(line), column: \(column)])")
    }

    /// The pattern text as Jackson quotes it in locations: at most 500 characters.
    private var sourceExcerpt: String {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.count > 500 else { return text }
        return String(text.prefix(500)) + "\"[truncated \(text.count - 500) chars]"
    }

    private func describeCharacter(at offset: Int) -> String {
        let byte = bytes[offset]
        if byte < 0x80 { return Self.describe(byte) }
        // Jackson names a non-ASCII character by its code point.
        var iterator = bytes[offset...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) {
            return "'\(Character(scalar))' (code \(scalar.value) / 0x\(String(scalar.value, radix: 16)))"
        }
        return "(code \(byte))"
    }

    static func describe(_ byte: UInt8) -> String {
        if byte < 0x20 { return "(CTRL-CHAR, code \(byte))" }
        return "'\(Character(Unicode.Scalar(byte)))' (code \(byte))"
    }

    // MARK: - Bytes

    func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Jackson gathers the characters of an unrecognized token while they could belong to a Java identifier.
    func isIdentifierByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "$"):
            return true
        default:
            return byte >= 0x80
        }
    }

    func lineAndColumn(of offset: Int) -> (Int, Int) {
        var line = 1
        var column = 1
        for index in 0..<min(offset, bytes.count) {
            if bytes[index] == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}

extension PatternError {
    func located(_ position: (Int, Int)) -> PatternError {
        PatternError(message, kind: kind, line: position.0, column: position.1)
    }
}

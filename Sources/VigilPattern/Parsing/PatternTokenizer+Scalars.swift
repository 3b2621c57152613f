/// The scalars of pattern text — strings with their escapes, numbers as written, `true`,
/// `false` and `null` — refused in Jackson's words where they are malformed.
extension PatternTokenizer {
    mutating func readString() throws(PatternError) -> String {
        position += 1  // opening quote
        var utf8: [UInt8] = []
        while true {
            guard position < bytes.count else {
                throw PatternError("Unexpected end-of-input: was expecting closing quote for a string value")
            }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: utf8, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                guard position + 1 < bytes.count else {
                    throw PatternError("Unexpected end-of-input in character escape sequence")
                }
                let escaped = bytes[position + 1]
                position += 2
                switch escaped {
                case UInt8(ascii: "\""): utf8.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): utf8.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): utf8.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    let unit = try readHex4()
                    var scalar: Unicode.Scalar?
                    if UTF16.isLeadSurrogate(unit), position + 1 < bytes.count,
                       bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                        position += 2
                        let trail = try readHex4()
                        if UTF16.isTrailSurrogate(trail) {
                            let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(trail) - 0xDC00)
                            scalar = Unicode.Scalar(value)
                        }
                    } else {
                        scalar = Unicode.Scalar(UInt32(unit))
                    }
                    // A lone surrogate cannot be encoded in UTF-8; Java substitutes '?' when encoding it.
                    utf8.append(contentsOf: Array(String(scalar ?? "?").utf8))
                default:
                    throw PatternError(
                        "Unrecognized character escape \(Self.describe(escaped))")
                }
                continue
            }
            if byte < 0x20 {
                throw PatternError(
                    "Illegal unquoted character ((CTRL-CHAR, code \(byte))): has to be escaped using backslash to be included in string value")
            }
            utf8.append(byte)
            position += 1
        }
    }

    private mutating func readHex4() throws(PatternError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard position < bytes.count else {
                throw PatternError("Unexpected end-of-input in character escape sequence")
            }
            let byte = bytes[position]
            guard let digit = byte.hexDigitValue else {
                throw PatternError(
                    "Unexpected character (\(Self.describe(byte))): expected a hex-digit for character escape sequence")
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    mutating func readNumber() throws(PatternError) -> String {
        let start = position
        if bytes[position] == UInt8(ascii: "-") {
            position += 1
            guard let byte = peek(), isDigit(byte) else {
                if let byte = peek() {
                    throw PatternError(
                        "Unexpected character (\(Self.describe(byte))) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value")
                }
                throw PatternError("Unexpected end-of-input in a Number value")
            }
        }
        if bytes[position] == UInt8(ascii: "0"), position + 1 < bytes.count, isDigit(bytes[position + 1]) {
            throw PatternError("Invalid numeric value: Leading zeroes not allowed")
        }
        while let byte = peek(), isDigit(byte) { position += 1 }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard let byte = peek(), isDigit(byte) else {
                throw PatternError(
                    "Unexpected character (\(peek().map(Self.describe) ?? "EOF")) in numeric value: Decimal point not followed by a digit")
            }
            while let byte = peek(), isDigit(byte) { position += 1 }
        }
        if let byte = peek(), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            position += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            guard let byte = peek(), isDigit(byte) else {
                throw PatternError(
                    "Unexpected character (\(peek().map(Self.describe) ?? "EOF")) in numeric value: Exponent indicator not followed by a digit")
            }
            while let byte = peek(), isDigit(byte) { position += 1 }
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    mutating func readKeyword() throws(PatternError) -> Token {
        let start = position
        for (word, token) in [("true", Token.trueValue), ("false", .falseValue), ("null", .nullValue)] {
            let utf8 = Array(word.utf8)
            if bytes.count - start >= utf8.count, Array(bytes[start..<start + utf8.count]) == utf8 {
                let end = start + utf8.count
                if end < bytes.count, isIdentifierByte(bytes[end]) { break }
                position = end
                return token
            }
        }
        throw unrecognizedToken(from: start)
    }
}

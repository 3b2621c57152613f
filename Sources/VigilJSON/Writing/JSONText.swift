/// Writing JSON text: string literals and compacted values.
public enum JSONText {
    /// `text` as a JSON string literal, quotes included.
    public static func quoted(_ text: String) -> String {
        var output: [UInt8] = []
        var text = text
        text.withUTF8 { appendQuoted(UnsafeRawBufferPointer($0), to: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the UTF-8 `bytes` as a JSON string literal, quotes included: `"` and `\` escaped,
    /// control characters as `\n`-style or `\u00XX` escapes, everything else as it is.
    public static func appendQuoted(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        _ = appendEscaped(bytes, to: &output, checkingUTF8: false)
        output.append(UInt8(ascii: "\""))
    }

    /// Appends the UTF-8 `bytes` escaped as the contents of a JSON string, without the quotes
    /// (text placed inside a string literal that is already open).
    public static func appendEscaped(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        _ = appendEscaped(bytes, to: &output, checkingUTF8: false)
    }

    /// Like `appendQuoted`, but only for well-formed UTF-8: returns the offset in `bytes` of the
    /// first byte that is not (the literal is then left unfinished), nil when all was written.
    public static func appendQuotedUTF8(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) -> Int? {
        output.append(UInt8(ascii: "\""))
        if let invalid = appendEscaped(bytes, to: &output, checkingUTF8: true) { return invalid }
        output.append(UInt8(ascii: "\""))
        return nil
    }

    /// Like `appendEscaped`, but only for well-formed UTF-8: returns the offset in `bytes` of the
    /// first byte that is not (what came before it is written), nil when all was written. For a
    /// string written in pieces, such as text whose own quoting is undone on the way.
    public static func appendEscapedUTF8(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) -> Int? {
        appendEscaped(bytes, to: &output, checkingUTF8: true)
    }

    /// Copies runs of plain bytes at once, with escapes between them. With `checkingUTF8`,
    /// stops at the first byte that is not well-formed UTF-8 and returns its offset.
    private static func appendEscaped(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8],
                                      checkingUTF8: Bool) -> Int? {
        var runStart = 0
        var index = 0
        let count = bytes.count
        // Bytes that need a look of their own: those below 0x20, quotes and backslashes, and with
        // `checkingUTF8` those from 0x80.
        let lookAt: UInt64 = checkingUTF8 ? 0x8080_8080_8080_8080 : 0
        while index < count {
            // Eight plain bytes at a time (each test is exact for "some byte is"): an alert's
            // strings (time, account, region, source) cost 390 instructions each byte by byte.
            while index + 8 <= count, !mayNeedEscaping(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self),
                                                        orHas: lookAt) {
                index += 8
            }
            guard index < count else { break }
            let byte = bytes[index]
            if byte >= 0x80 {
                guard checkingUTF8 else {
                    index += 1
                    continue
                }
                let length = UTF8Sequence.length(in: bytes, at: index)
                if length == 0 { return index }
                index += length
                continue
            }
            if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
            output.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
            case 0x08: output.append(UInt8(ascii: "b"))
            case 0x0C: output.append(UInt8(ascii: "f"))
            case 0x0A: output.append(UInt8(ascii: "n"))
            case 0x0D: output.append(UInt8(ascii: "r"))
            case 0x09: output.append(UInt8(ascii: "t"))
            default:
                output.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                HexDigits.appendLowercase(byte, to: &output)
            }
            index += 1
            runStart = index
        }
        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<count]))
        return nil
    }

    /// Whether any of the eight bytes of `word` is below 0x20, a quote or a backslash, or has a
    /// bit of `highBits` set: SWAR tests (`(x - 0x01…) & ~x & 0x80…` is nonzero exactly when a
    /// byte of x is 0, and with 0x20… when one is below 0x20).
    @inline(__always)
    private static func mayNeedEscaping(_ word: UInt64, orHas highBits: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (0x22 &* ones)
        let backslashes = word ^ (0x5C &* ones)
        let control = (word &- 0x20 &* ones) & ~word
        let quote = (quotes &- ones) & ~quotes
        let backslash = (backslashes &- ones) & ~backslashes
        return (control | quote | backslash) & highs | word & highBits != 0
    }

    /// Appends a string literal for bytes held in an array.
    public static func appendQuoted(_ bytes: [UInt8], to output: inout [UInt8]) {
        bytes.withUnsafeBytes { appendQuoted($0, to: &output) }
    }

    /// Appends the well-formed JSON value `json` without its insignificant whitespace, so that a
    /// pretty-printed record fits on one line of JSON Lines. Strings are copied as written.
    ///
    /// A value that is already compact (CloudTrail's, GuardDuty's records as AWS writes them) is
    /// copied at once: proving it compact reads eight bytes at a time and looks only at the
    /// bytes up to 0x20, where walking it string by string cost about as much as the rest of the
    /// alert (1.3 KB CloudTrail records: 2,740 instructions each that way, 660 this way; callgrind).
    public static func appendCompacted(_ json: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        if isSurelyCompact(json) {
            output.append(contentsOf: json)
        } else {
            appendCompactedByScanning(json, to: &output)
        }
    }

    /// Whether the well-formed JSON value `json` surely holds no whitespace outside its strings.
    ///
    /// Every byte up to 0x20 is looked at (found eight at a time); each must be a space that its
    /// neighbours place inside a string. Whitespace outside strings lies between tokens, so the
    /// byte before it ends a token (`{ [ ] } , : "`, a digit, the `e` of true and false, the `l`
    /// of null) or is whitespace, and the byte after it begins one (`{ [ ] } , : "`, a digit,
    /// `-`, `t`, `f`, `n`) or is whitespace: a space with any other neighbour on either side is
    /// inside a string (`"aws-cli/2.15.30 Python/3.11.8"`). Other control bytes cannot be inside
    /// a string of valid JSON, so they are whitespace. False means "not sure" (`"a, 1"`), and the
    /// caller scans string by string.
    static func isSurelyCompact(_ json: UnsafeRawBufferPointer) -> Bool {
        let count = json.count
        let lowSeven: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let toHighBit: UInt64 = 0x5F5F_5F5F_5F5F_5F5F  // 0x80 - 0x21: a byte's low seven bits reach 0x80 when >= 0x21
        let highs: UInt64 = 0x8080_8080_8080_8080
        var position = 0
        while position + 8 <= count {
            let word = UInt64(littleEndian: json.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            // The high bit of each byte below 0x21, exactly (no carry crosses a byte: 0x7F + 0x5F < 0x100).
            var low = ~(((word & lowSeven) &+ toHighBit) | word) & highs
            while low != 0 {
                guard isSpaceInsideString(json, at: position + low.trailingZeroBitCount >> 3) else { return false }
                low &= low &- 1
            }
            position += 8
        }
        while position < count {
            if json[position] <= 0x20, !isSpaceInsideString(json, at: position) { return false }
            position += 1
        }
        return true
    }

    /// Whether the byte at `index` is a space that its neighbours prove to be inside a string
    /// (see `isSurelyCompact`).
    private static func isSpaceInsideString(_ json: UnsafeRawBufferPointer, at index: Int) -> Bool {
        guard json[index] == 0x20, index > 0, index + 1 < json.count else { return false }
        return !mayEndTokenBeforeWhitespace(json, at: index - 1) || !mayBeginTokenAfterWhitespace(json, at: index + 1)
    }

    /// Whether the byte at `index` may end a token. An `e` or `l` may only where it ends `true`,
    /// `false` or `null`: English in strings puts a space after a word ending in e or l before a
    /// word beginning with t, f or n ("due to", "Profile for"), which alone made a quarter of the
    /// benchmark's CloudTrail records "not sure".
    private static func mayEndTokenBeforeWhitespace(_ json: UnsafeRawBufferPointer, at index: Int) -> Bool {
        switch json[index] {
        case 0...0x20, UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ","),
             UInt8(ascii: ":"), UInt8(ascii: "\""), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "e"):
            return has("true", endingAt: index, in: json) || has("false", endingAt: index, in: json)
        case UInt8(ascii: "l"):
            return has("null", endingAt: index, in: json)
        default:
            return false
        }
    }

    /// Whether the byte at `index` may begin a token; a `t`, `f` or `n` only where `true`,
    /// `false` or `null` begins.
    private static func mayBeginTokenAfterWhitespace(_ json: UnsafeRawBufferPointer, at index: Int) -> Bool {
        switch json[index] {
        case 0...0x20, UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ","),
             UInt8(ascii: ":"), UInt8(ascii: "\""), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
            return true
        case UInt8(ascii: "t"):
            return has("true", startingAt: index, in: json)
        case UInt8(ascii: "f"):
            return has("false", startingAt: index, in: json)
        case UInt8(ascii: "n"):
            return has("null", startingAt: index, in: json)
        default:
            return false
        }
    }

    private static func has(_ word: StaticString, endingAt index: Int, in json: UnsafeRawBufferPointer) -> Bool {
        has(word, startingAt: index + 1 - word.utf8CodeUnitCount, in: json)
    }

    private static func has(_ word: StaticString, startingAt start: Int, in json: UnsafeRawBufferPointer) -> Bool {
        let count = word.utf8CodeUnitCount
        guard start >= 0, start + count <= json.count else { return false }
        for offset in 0..<count where json[start + offset] != word.utf8Start[offset] {
            return false
        }
        return true
    }

    /// `appendCompacted` string by string: runs between whitespace outside strings are copied,
    /// strings skipped eight bytes at a time (`JSONString.end`).
    static func appendCompactedByScanning(_ json: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        var position = 0
        let count = json.count
        var runStart = 0
        while position < count {
            switch json[position] {
            case 0x20, 0x0A, 0x0D, 0x09:
                if runStart < position { output.append(contentsOf: UnsafeRawBufferPointer(rebasing: json[runStart..<position])) }
                position += 1
                runStart = position
            case UInt8(ascii: "\""):
                var escaped = false
                let end = JSONString.end(in: json, from: position + 1, escaped: &escaped) ?? (count - 1)
                position = end + 1
            default:
                position += 1
            }
        }
        if runStart < count { output.append(contentsOf: UnsafeRawBufferPointer(rebasing: json[runStart..<count])) }
    }
}

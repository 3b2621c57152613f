/// Byte-level helpers for JSON strings: finding their end fast and unescaping them.
///
/// `nextQuoteOrBackslash` and `end` are `@inlinable` because the event scanner (in VigilPattern)
/// and the readers (in VigilIngest) call them for every string they pass; across a module
/// boundary only an inlinable body can still be inlined.
public enum JSONString {
    /// The offset of the first `"` or `\` at or after `start`, or nil if there is none.
    ///
    /// Eight bytes are tested at a time (the classic "has zero byte" trick on `word ^ pattern`,
    /// whose lowest flagged byte is always exact), which makes skipping long strings — most of a
    /// CloudTrail record — several times faster than a byte loop.
    @inlinable @inline(__always)
    public static func nextQuoteOrBackslash(in buffer: UnsafeRawBufferPointer, from start: Int) -> Int? {
        // Written here rather than as stored constants, which inlined code would have to reach
        // through their global's accessor.
        let quotes: UInt64 = 0x2222_2222_2222_2222
        let backslashes: UInt64 = 0x5C5C_5C5C_5C5C_5C5C
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var position = start
        let count = buffer.count
        while position + 8 <= count {
            let word = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            let quote = word ^ quotes
            let backslash = word ^ backslashes
            let found = ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash) & highs
            if found != 0 { return position + found.trailingZeroBitCount >> 3 }
            position += 8
        }
        while position < count {
            let byte = buffer[position]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return position }
            position += 1
        }
        return nil
    }

    /// The offset of the closing quote of the string whose contents start at `start`, or nil if
    /// the string is not closed. `escaped` becomes true if a backslash was seen.
    @inlinable @inline(__always)
    public static func end(in buffer: UnsafeRawBufferPointer, from start: Int, escaped: inout Bool) -> Int? {
        var position = start
        while let special = nextQuoteOrBackslash(in: buffer, from: position) {
            if buffer[special] == UInt8(ascii: "\"") { return special }
            escaped = true
            position = special + 2
        }
        return nil
    }

    /// Decodes the escapes of string contents into `output` (replacing its contents) as UTF-8.
    /// Invalid escapes are kept as written; validation is the scanner's job.
    public static func unescape(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        output.removeAll(keepingCapacity: true)
        var index = 0
        let count = input.count
        while index < count {
            let byte = input[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < count else {
                output.append(byte)
                index += 1
                continue
            }
            let escape = input[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                guard let unit = hex4(input, at: index) else {
                    output.append(contentsOf: [UInt8(ascii: "\\"), escape])
                    continue
                }
                index += 4
                var scalarValue = UInt32(unit)
                if UTF16.isLeadSurrogate(unit), index + 6 <= count, input[index] == UInt8(ascii: "\\"),
                   input[index + 1] == UInt8(ascii: "u"), let trail = hex4(input, at: index + 2),
                   UTF16.isTrailSurrogate(trail) {
                    scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(trail) - 0xDC00)
                    index += 6
                }
                // A lone surrogate has no UTF-8 form; Java (and so EventBridge) writes '?'.
                appendUTF8(Unicode.Scalar(scalarValue) ?? "?", to: &output)
            default:
                output.append(escape)  // \" \\ \/
            }
        }
    }

    private static func hex4(_ input: UnsafeRawBufferPointer, at index: Int) -> UInt16? {
        guard index + 4 <= input.count else { return nil }
        var value: UInt16 = 0
        for offset in 0..<4 {
            guard let digit = input[index + offset].hexDigitValue else { return nil }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    static func appendUTF8(_ scalar: Unicode.Scalar, to output: inout [UInt8]) {
        let value = scalar.value
        switch value {
        case 0..<0x80:
            output.append(UInt8(value))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | value >> 6))
            output.append(UInt8(0x80 | value & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | value >> 12))
            output.append(UInt8(0x80 | value >> 6 & 0x3F))
            output.append(UInt8(0x80 | value & 0x3F))
        default:
            output.append(UInt8(0xF0 | value >> 18))
            output.append(UInt8(0x80 | value >> 12 & 0x3F))
            output.append(UInt8(0x80 | value >> 6 & 0x3F))
            output.append(UInt8(0x80 | value & 0x3F))
        }
    }
}

extension UInt8 {
    /// This byte's value as a hexadecimal digit (`0`–`9`, `a`–`f`, `A`–`F`), or nil.
    @inlinable @inline(__always)
    public var hexDigitValue: UInt8? {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return self - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return self - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return self - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// Writing bytes as hexadecimal digits: `\u00XX` escapes, event UUIDs, alert ids.
public enum HexDigits {
    /// Appends `byte` as two lowercase hexadecimal digits.
    @inlinable @inline(__always)
    public static func appendLowercase(_ byte: UInt8, to output: inout [UInt8]) {
        output.append(lowercaseDigit(byte >> 4))
        output.append(lowercaseDigit(byte & 0xF))
    }

    /// Appends `bytes` as lowercase hexadecimal digits, with a `-` before each byte whose index
    /// is a set bit of `dashesBefore` (a UUID's `8-4-4-4-12`: bits 4, 6, 8 and 10). The text is
    /// made on the stack and appended at once: two appends per byte each checked the array's
    /// room and uniqueness, a fifth of an event id's cost.
    @inlinable
    public static func appendLowercase(_ bytes: UnsafeRawBufferPointer, dashesBefore: UInt64 = 0,
                                       to output: inout [UInt8]) {
        let count = min(bytes.count, 64)
        let length = 2 * count + (dashesBefore & (count == 64 ? ~0 : (1 << count) - 1)).nonzeroBitCount
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length) { text in
            var position = 0
            for index in 0..<count {
                if dashesBefore >> index & 1 != 0 {
                    text[position] = UInt8(ascii: "-")
                    position += 1
                }
                text[position] = lowercaseDigit(bytes[index] >> 4)
                text[position + 1] = lowercaseDigit(bytes[index] & 0xF)
                position += 2
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: text[..<position]))
        }
    }

    /// The lowercase digit for `nibble` (below 16).
    @inlinable @inline(__always)
    public static func lowercaseDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}

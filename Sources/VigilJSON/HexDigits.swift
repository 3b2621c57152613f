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

    /// The lowercase digit for `nibble` (below 16).
    @inlinable @inline(__always)
    public static func lowercaseDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}

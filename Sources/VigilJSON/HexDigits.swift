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

    /// Appends `bytes` (at most 32; more are not written) as lowercase hexadecimal digits, with a
    /// `-` before each byte whose index is a set bit of `dashesBefore` (a UUID's `8-4-4-4-12`:
    /// bits 4, 6, 8 and 10). The text is made in a buffer on the stack and appended at once: two
    /// appends per byte each checked the array's room and uniqueness, a fifth of an event id's
    /// cost.
    @inlinable
    public static func appendLowercase(_ bytes: UnsafeRawBufferPointer, dashesBefore: UInt32 = 0,
                                       to output: inout [UInt8]) {
        var text: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)  // 96 bytes: 32 bytes' digits and 32 dashes
        withUnsafeMutableBytes(of: &text) { text in
            var position = 0
            var index = 0
            let count = min(bytes.count, 32)
            while index < count {
                if dashesBefore &>> UInt32(truncatingIfNeeded: index) & 1 != 0 {
                    text[position] = UInt8(ascii: "-")
                    position &+= 1
                }
                if index &+ 2 <= count, dashesBefore &>> UInt32(truncatingIfNeeded: index &+ 1) & 1 == 0 {
                    // Two bytes at once: 120 instructions for a 16-byte id where byte by byte
                    // took 400 (callgrind).
                    text.storeBytes(of: fourDigits(bytes[index], bytes[index &+ 1]).bigEndian, toByteOffset: position,
                                    as: UInt32.self)
                    position &+= 4
                    index &+= 2
                } else {
                    text[position] = lowercaseDigit(bytes[index] &>> 4)
                    text[position &+ 1] = lowercaseDigit(bytes[index] & 0xF)
                    position &+= 2
                    index &+= 1
                }
            }
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[..<position]))
        }
    }

    /// The four lowercase digits of `first` and `second`, the first digit in the most significant
    /// byte: each nibble spread into a byte of its own, then every byte made a digit at once
    /// (`lowercaseDigit`, four lanes wide).
    @inlinable @inline(__always)
    static func fourDigits(_ first: UInt8, _ second: UInt8) -> UInt32 {
        var spread = UInt32(first) &<< 8 | UInt32(second)
        spread = (spread | spread &<< 8) & 0x00FF_00FF
        spread = (spread | spread &<< 4) & 0x0F0F_0F0F
        let letters = ((spread &+ 0x0606_0606) &>> 4) & 0x0101_0101  // 1 in each lane of a nibble from 10
        return spread &+ 0x3030_3030 &+ letters &* UInt32(UInt8(ascii: "a") &- UInt8(ascii: "0") &- 10)
    }

    /// The lowercase digit for `nibble` (below 16), without a branch: `9 - nibble` wraps to
    /// 0xF6 or more exactly when the nibble is a letter's.
    @inlinable @inline(__always)
    public static func lowercaseDigit(_ nibble: UInt8) -> UInt8 {
        nibble &+ UInt8(ascii: "0") &+ ((9 &- nibble) &>> 7) &* (UInt8(ascii: "a") &- UInt8(ascii: "0") &- 10)
    }
}

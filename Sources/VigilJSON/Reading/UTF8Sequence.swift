/// Well-formed UTF-8, checked one sequence at a time on bytes.
public enum UTF8Sequence {
    /// The length of the well-formed multi-byte sequence starting at `start` (a byte ≥ 0x80), or
    /// 0 when it is not one. Unicode's table 3-7 (RFC 3629): no overlong forms, no surrogates,
    /// nothing above U+10FFFF.
    @inlinable @inline(__always)
    public static func length(in bytes: UnsafeRawBufferPointer, at start: Int) -> Int {
        let length: Int
        var lowest: UInt8 = 0x80
        var highest: UInt8 = 0xBF
        switch bytes[start] {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lowest = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; highest = 0x9F
        case 0xF0: length = 4; lowest = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; highest = 0x8F
        default: return 0
        }
        guard start + length <= bytes.count else { return 0 }
        let second = bytes[start + 1]
        guard second >= lowest && second <= highest else { return 0 }
        for index in 2..<length where bytes[start + index] & 0xC0 != 0x80 { return 0 }
        return length
    }
}

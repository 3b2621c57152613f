/// Appending text to a byte array without making a `String` or going through one.
extension Array where Element == UInt8 {
    /// Appends the UTF-8 bytes of a string literal with one copy.
    ///
    /// `append(contentsOf: "…".utf8)` retains and releases the string and copies it through the
    /// string's storage: 170 instructions a call, where this costs 100 (callgrind). A flow
    /// record's envelope took three such appends, an alert's line and event twenty.
    @inlinable @inline(__always)
    public mutating func append(utf8 literal: StaticString) {
        append(contentsOf: UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends a slice of raw bytes with one copy. Without this overload `append(contentsOf:
    /// bytes[range])` takes the generic path, which copies a `Slice` byte by byte through its
    /// iterator: 185 instructions for a CloudTrail record's account or region, where this takes
    /// 100; a CloudTrail record takes six (callgrind).
    @inlinable @inline(__always)
    public mutating func append(contentsOf bytes: Slice<UnsafeRawBufferPointer>) {
        append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes))
    }

    /// Appends `value` in decimal, as `String(value)` writes it, without making the string: a
    /// record's number in an alert line, a line number in a flow record's identity.
    public mutating func append(decimal value: Int) {
        if value < 0 {
            append(contentsOf: String(value).utf8)
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 24 digits; Int.max has 19
        var count = 0
        var rest = UInt(value)
        Swift.withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                count += 1
                buffer[buffer.count - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest != 0
            append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(buffer.count - count)...]))
        }
    }
}

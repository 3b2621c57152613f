#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level JSON primitives every walker of JSON shares — the matcher's event scanner, the
/// validator, readers finding records in logs: skipping whitespace, scalars and whole values
/// without decoding them.
///
/// Why `@inlinable`: the event scanner (in VigilPattern) calls `skipWhitespace`, `scalarEnd` and
/// `skipValue` once per token of every event. They lived in the scanner's own module, where the
/// optimizer inlined them; across a module boundary only an inlinable body can still be inlined.
public enum JSONBytes {
    /// Deepest nesting of objects and arrays accepted where no other limit is given.
    @inlinable
    public static var maximumDepth: Int { 1000 }

    /// The offset of the first byte at or after `start` that is not JSON whitespace.
    @inlinable @inline(__always)
    public static func skipWhitespace(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var position = start
        let count = bytes.count
        while position < count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return position
            }
        }
        return position
    }

    /// The end of a number, `true`, `false` or `null` starting at `start`; other bytes are refused.
    /// A number's bytes are taken loosely (digits, sign, point, exponent); `JSONValidator` checks
    /// its grammar where that matters.
    @inlinable @inline(__always)
    public static func scalarEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) throws(EventError) -> Int {
        let first = bytes[start]
        var position = start
        let count = bytes.count
        switch first {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            position += 1
            while position < count {
                switch bytes[position] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"),
                     UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-"):
                    position += 1
                default:
                    return position
                }
            }
            return position
        case UInt8(ascii: "t"): return try expectWord("true", in: bytes, at: start)
        case UInt8(ascii: "f"): return try expectWord("false", in: bytes, at: start)
        case UInt8(ascii: "n"): return try expectWord("null", in: bytes, at: start)
        default:
            throw EventError("Unexpected character '\(Character(Unicode.Scalar(first)))' where a value was expected", offset: start)
        }
    }

    @inlinable
    static func expectWord(_ word: StaticString, in bytes: UnsafeRawBufferPointer, at start: Int) throws(EventError) -> Int {
        let length = word.utf8CodeUnitCount
        guard start + length <= bytes.count else {
            throw EventError("Invalid literal where a value was expected", offset: start)
        }
        let expected = UnsafeRawBufferPointer(start: word.utf8Start, count: length)
        for index in 0..<length where bytes[start + index] != expected[index] {
            throw EventError("Invalid literal where a value was expected", offset: start)
        }
        return start + length
    }

    /// The offset just past the JSON value starting at `start`, skipped without decoding (checked
    /// only loosely: balanced brackets, closed strings, known literals). `depth`: how deep the
    /// value already lies, counted against `maximumDepth`.
    @inlinable
    public static func skipValue(_ bytes: UnsafeRawBufferPointer, from start: Int, depth: Int = 0) throws(EventError) -> Int {
        let first = bytes[start]
        if first == UInt8(ascii: "\"") {
            var escaped = false
            guard let end = JSONString.end(in: bytes, from: start + 1, escaped: &escaped) else {
                throw EventError("Unterminated string", offset: start)
            }
            return end + 1
        }
        guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else {
            return try scalarEnd(bytes, from: start)
        }
        var nesting = 0
        var position = start
        let count = bytes.count
        while position < count {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                var escaped = false
                guard let end = JSONString.end(in: bytes, from: position + 1, escaped: &escaped) else {
                    throw EventError("Unterminated string", offset: position)
                }
                position = end + 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                nesting += 1
                if depth + nesting > maximumDepth {
                    throw EventError("The event nests deeper than \(maximumDepth) levels", offset: position, kind: .tooDeep)
                }
                position += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                nesting -= 1
                position += 1
                if nesting == 0 { return position }
            default:
                position += 1
            }
        }
        throw EventError("Unexpected end of the event inside an object or array", offset: count)
    }
}

extension JSONBytes {
    /// Calls `body` with the range of each element of the array whose `[` is at `start`, in
    /// order. Meant for arrays already validated; it stops quietly at anything unexpected.
    public static func forEachElement(in bytes: UnsafeRawBufferPointer, arrayAt start: Int,
                                      _ body: (Range<Int>) -> Void) {
        var offset = skipWhitespace(bytes, from: start + 1)
        guard offset < bytes.count, bytes[offset] != UInt8(ascii: "]") else { return }
        while offset < bytes.count, let end = try? skipValue(bytes, from: offset) {
            body(offset..<end)
            offset = skipWhitespace(bytes, from: end)
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: ",") else { return }
            offset = skipWhitespace(bytes, from: offset + 1)
        }
    }

    /// Whether `bytes` are exactly the UTF-8 of `text` (a key compared against a known name,
    /// without the generic sequence comparison's per-byte overhead).
    @inlinable @inline(__always)
    public static func equals(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        equals(bytes, UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Whether two runs of bytes are the same bytes (one `memcmp`, not the generic sequence
    /// comparison's per-byte loop).
    @inlinable @inline(__always)
    public static func equals(_ bytes: UnsafeRawBufferPointer, _ other: UnsafeRawBufferPointer) -> Bool {
        bytes.count == other.count && (bytes.isEmpty || memcmp(bytes.baseAddress!, other.baseAddress!, bytes.count) == 0)
    }
}

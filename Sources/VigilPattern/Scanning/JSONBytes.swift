/// Byte-level JSON helpers shared with readers outside this module, which find records in logs
/// with the same primitives the event scanner uses.
public enum JSONBytes {
    /// The offset of the first byte at or after `start` that is not JSON whitespace.
    @inline(__always)
    public static func skipWhitespace(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        EventScanner.skipWhitespace(bytes, from: start)
    }

    /// The offset just past the JSON value starting at `start`, skipped without decoding (checked
    /// only loosely: balanced brackets, closed strings, known literals).
    public static func skipValue(_ bytes: UnsafeRawBufferPointer, from start: Int) throws(EventError) -> Int {
        try EventScanner.skipValue(bytes, from: start, depth: 0)
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
    @inline(__always)
    public static func equals(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard bytes.count == count else { return false }
        return count == 0 || memcmp(bytes.baseAddress!, text.utf8Start, count) == 0
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

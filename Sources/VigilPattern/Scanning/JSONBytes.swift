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

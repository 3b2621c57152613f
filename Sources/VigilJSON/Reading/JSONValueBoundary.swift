/// Finds where a JSON object or array ends, in input that arrives in pieces.
///
/// It follows only what decides the boundary (strings, escapes and brackets), so it can resume
/// where it stopped when the window ends mid-record, and it keeps working through a record too
/// large to hold, whose bytes are dropped as they are passed. Whether the record is well-formed
/// is decided afterwards, by `JSONValidator`, on the bytes it delimits.
public struct JSONValueBoundary {
    private var depth = 0
    private var inString = false
    private var afterBackslash = false
    /// The deepest nesting seen in the current value.
    public private(set) var deepest = 0

    public init() {}

    /// Prepares to find the end of a new value that starts with `{` or `[`.
    public mutating func reset() {
        depth = 0
        inString = false
        afterBackslash = false
        deepest = 0
    }

    /// Prepares to find the end of a value whose first `openBrackets` brackets have already been
    /// passed (the rest of an object after the array of records it holds).
    public mutating func reset(openBrackets: Int) {
        reset()
        depth = openBrackets
        deepest = openBrackets
    }

    /// Scans `bytes[position..<bytes.count]`, where `position` is the value's first byte (after a
    /// `reset`) or where the last call stopped. Returns the offset just past the value's closing
    /// bracket, or nil when all bytes were scanned without reaching it.
    public mutating func scan(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var position = start
        let count = bytes.count
        while position < count {
            if inString {
                if afterBackslash {
                    afterBackslash = false
                    position += 1
                    continue
                }
                guard let special = JSONString.nextQuoteOrBackslash(in: bytes, from: position) else {
                    return nil
                }
                if bytes[special] == UInt8(ascii: "\"") {
                    inString = false
                } else {
                    afterBackslash = true
                }
                position = special + 1
                continue
            }
            switch bytes[position] {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > deepest { deepest = depth }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return position + 1 }
            default:
                break
            }
            position += 1
        }
        return nil
    }
}

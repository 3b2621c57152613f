import VigilJSON

/// Finding values by path in JSON text that is already known to be well-formed (an alert line,
/// written by Vigil or checked by `AlertDocument`), without building a tree.
///
/// Alerts are few next to records (the report of a 100,000-alert replay reads 100,000 of them
/// once), so a lookup walks the members of each object on its way: no index is kept.
public enum JSONLookup {
    /// One step of a path: an object member by name, or an array element by position.
    public enum Step: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, Sendable {
        case member(String)
        case element(Int)

        public init(stringLiteral value: String) { self = .member(value) }
        public init(integerLiteral value: Int) { self = .element(value) }
    }

    /// The byte range of the value at `path` below the value at `range`, or nil.
    static func value(at path: [Step], in bytes: UnsafeRawBufferPointer, from range: Range<Int>) -> Range<Int>? {
        var current = range
        for step in path {
            switch step {
            case .member(let name):
                guard let found = member(name, in: bytes, object: current) else { return nil }
                current = found
            case .element(let position):
                guard let found = element(position, in: bytes, array: current) else { return nil }
                current = found
            }
        }
        return current
    }

    /// The value of the member `name` of the object at `range`.
    static func member(_ name: String, in bytes: UnsafeRawBufferPointer, object range: Range<Int>) -> Range<Int>? {
        guard range.count >= 2, bytes[range.lowerBound] == UInt8(ascii: "{") else { return nil }
        let object = UnsafeRawBufferPointer(rebasing: bytes[range])
        var found: Range<Int>?
        var unescaped: [UInt8] = []
        let wanted = Array(name.utf8)
        do {
            try JSONMembers.forEach(in: object) { key, isEscaped, value in
                let matches: Bool
                if isEscaped {
                    unescaped.removeAll(keepingCapacity: true)
                    JSONString.unescape(key, into: &unescaped)
                    matches = unescaped == wanted
                } else {
                    matches = key.elementsEqual(wanted)
                }
                if matches { found = (value.lowerBound + range.lowerBound)..<(value.upperBound + range.lowerBound) }
                return !matches
            }
        } catch {
            return nil
        }
        return found
    }

    /// The element at `position` of the array at `range`.
    static func element(_ position: Int, in bytes: UnsafeRawBufferPointer, array range: Range<Int>) -> Range<Int>? {
        var found: Range<Int>?
        forEachElement(in: bytes, array: range) { index, element in
            if index == position { found = element }
            return index < position
        }
        return found
    }

    /// Calls `body` with each element of the array at `range` (its position and byte range) until
    /// it returns false; nothing when the value is no array.
    static func forEachElement(in bytes: UnsafeRawBufferPointer, array range: Range<Int>,
                               _ body: (Int, Range<Int>) -> Bool) {
        guard range.count >= 2, bytes[range.lowerBound] == UInt8(ascii: "[") else { return }
        var position = JSONBytes.skipWhitespace(bytes, from: range.lowerBound + 1)
        var index = 0
        while position < range.upperBound, bytes[position] != UInt8(ascii: "]") {
            guard let end = try? JSONBytes.skipValue(bytes, from: position, depth: 1) else { return }
            guard body(index, position..<end) else { return }
            index += 1
            position = JSONBytes.skipWhitespace(bytes, from: end)
            if position < range.upperBound, bytes[position] == UInt8(ascii: ",") {
                position = JSONBytes.skipWhitespace(bytes, from: position + 1)
            }
        }
    }

    /// The value at `range` as text: a string unescaped, a number, `true` or `false` as written;
    /// nil for null, objects and arrays.
    static func text(in bytes: UnsafeRawBufferPointer, at range: Range<Int>) -> String? {
        guard let first = range.isEmpty ? nil : bytes[range.lowerBound] else { return nil }
        switch first {
        case UInt8(ascii: "\""):
            return JSONMembers.string(at: range, in: bytes)
        case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "n"):
            return nil
        default:
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
    }
}

import VigilJSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A path to one value of an event, resolved straight on the event's JSON bytes.
///
/// The syntax is the part of JSONPath that EventBridge input transformers accept
/// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html — "dot
/// notation (for example, `$.detail`), dashes, underscores, alphanumeric characters, array indices,
/// wildcards (*), forward slashes"):
///
/// * `$` is the whole event; `$.detail.instance-id` a member of a member; `$.resources[0]` and
///   `$.detail.items[2].name` array elements, counted from 0.
/// * The leading `$.` may be left out (`detail.state`), as dedup and threshold keys write it.
/// * A member name is any run of characters other than `.`, `[`, `]`, quotes, backslash, `*`,
///   spaces and control characters — a superset of EventBridge's letters, digits, `-`, `_` and `/`,
///   so that CloudTrail names such as `aws:SourceIp` work too. Any other name is written in
///   brackets as a JSON string or in single quotes: `$.detail["a.b"]`, `$.detail['a b']`.
///
/// Where it differs from EventBridge, deliberately:
///
/// * Wildcards (`*`, `[*]`) are refused: a path here names one value (an input-transformer
///   variable, a dedup or threshold key), and a wildcard would name many.
/// * EventBridge accepts any path and finds out at delivery time; a path here is checked when it is
///   parsed, and a syntax error says what and where.
/// * When an object has the same key twice, the first one is used (the lookup stops there rather
///   than reading the rest of the object).
///
/// Lookups are byte-level: each step skips the members and elements before the one it wants with
/// `JSONMembers` and `JSONBytes.skipValue`, without decoding them and without building a tree, and
/// stops as soon as it has found it. Nothing is allocated unless a key in the event is written with
/// escapes (`"na\u006de"`), which is rare; such a key is unescaped into one scratch buffer to be
/// compared. The event is expected to be well-formed JSON (readers validate every record they hand
/// on); a malformed one gives nil, never a trap.
public struct EventPath: Sendable, Hashable, CustomStringConvertible {
    /// One step from a value to a value inside it.
    enum Step: Sendable, Hashable {
        /// The member of an object with this name (UTF-8, unescaped).
        case member([UInt8])
        /// The element of an array at this position, from 0.
        case element(Int)
    }

    /// The path as written.
    public let text: String
    /// The steps from the whole event to the value, in order; empty for `$`.
    let steps: [Step]

    /// Parses `text`, refusing anything outside the syntax above with the reason and the position.
    public init(_ text: String) throws(SyntaxError) {
        var parser = Parser(text: text)
        self.steps = try parser.parse()
        self.text = text
    }

    public var description: String { text }

    /// Whether this is `$`, the whole event.
    public var isWholeEvent: Bool { steps.isEmpty }

    /// The byte range of the value this path names in the JSON `event`, or nil when the event has
    /// no such value (a member missing, an index past the end, a step into a value of another type).
    ///
    /// `detailStart`, when given, is where the event's `detail` object starts (an envelope as
    /// `EnvelopeWriter` writes it says so): a path into the detail starts there rather than
    /// stepping over the event's other top-level members, a third of a flow alert's key lookup.
    public func value(in event: UnsafeRawBufferPointer, detailStart: Int? = nil) -> Range<Int>? {
        let start = JSONBytes.skipWhitespace(event, from: 0)
        guard start < event.count else { return nil }
        // Each step finds where its value starts; only the last value is read to its end.
        var scratch: [UInt8] = []
        var position = start
        var remaining = steps[...]
        if let detailStart, detailStart < event.count, case .member(let name) = steps.first, name == Self.detail {
            position = detailStart
            remaining = steps.dropFirst()
        }
        for step in remaining {
            switch step {
            case .member(let name):
                guard event[position] == UInt8(ascii: "{"),
                      let found = Self.member(name, in: event, objectAt: position, scratch: &scratch)
                else { return nil }
                position = found
            case .element(let index):
                guard event[position] == UInt8(ascii: "["),
                      let found = Self.element(index, in: event, arrayAt: position)
                else { return nil }
                position = found
            }
        }
        guard let end = try? JSONBytes.skipValue(event, from: position) else { return nil }
        return position..<end
    }

    /// The top-level member an envelope's `detail` is.
    private static let detail = Array("detail".utf8)

    /// Where the value of the first member called `name` starts, in the object whose `{` is at `start`.
    private static func member(_ name: [UInt8], in event: UnsafeRawBufferPointer, objectAt start: Int,
                               scratch: inout [UInt8]) -> Int? {
        // The object runs to some `}` before the buffer's end; the walk stops there by itself.
        let object = UnsafeRawBufferPointer(rebasing: event[start...])
        return name.withUnsafeBytes { name in
            (try? JSONMembers.valueStart(ofMember: name, in: object, scratch: &scratch)).flatMap { $0 }.map { start + $0 }
        }
    }

    /// Where element `index` starts, in the array whose `[` is at `start`.
    private static func element(_ index: Int, in event: UnsafeRawBufferPointer, arrayAt start: Int) -> Int? {
        var offset = JSONBytes.skipWhitespace(event, from: start + 1)
        var position = 0
        while offset < event.count, event[offset] != UInt8(ascii: "]") {
            if position == index { return offset }
            guard let end = try? JSONBytes.skipValue(event, from: offset) else { return nil }
            offset = JSONBytes.skipWhitespace(event, from: end)
            guard offset < event.count, event[offset] == UInt8(ascii: ",") else { return nil }
            offset = JSONBytes.skipWhitespace(event, from: offset + 1)
            position += 1
        }
        return nil
    }
}

extension EventPath {
    /// Why a path was refused, and where.
    public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The path as written.
        public let path: String
        /// What is wrong, as a phrase (`a field name cannot be empty`).
        public let reason: String
        /// The character of `path` where the problem is, from 1.
        public let position: Int

        public var description: String { "Invalid path \"\(path)\": \(reason) (at character \(position))" }
    }

    /// Reads the path grammar over the UTF-8 of the text.
    private struct Parser {
        let text: String
        let bytes: [UInt8]
        var offset = 0

        init(text: String) {
            self.text = text
            self.bytes = Array(text.utf8)
        }

        mutating func parse() throws(SyntaxError) -> [Step] {
            guard let first = bytes.first else { throw error("a path cannot be empty", at: 0) }
            var steps: [Step] = []
            switch first {
            case UInt8(ascii: "$"):
                offset = 1
            case UInt8(ascii: "."), UInt8(ascii: "["):
                throw error("a path starts with '$' or with a field name", at: 0)
            default:
                steps.append(.member(try name()))
            }
            while offset < bytes.count {
                switch bytes[offset] {
                case UInt8(ascii: "."):
                    offset += 1
                    steps.append(.member(try name()))
                case UInt8(ascii: "["):
                    steps.append(try bracket())
                default:
                    throw error("expected '.' or '[' here", at: offset)
                }
            }
            return steps
        }

        /// A bare member name, up to the next `.` or `[`.
        private mutating func name() throws(SyntaxError) -> [UInt8] {
            let start = offset
            while offset < bytes.count, bytes[offset] != UInt8(ascii: "."), bytes[offset] != UInt8(ascii: "[") {
                switch bytes[offset] {
                case UInt8(ascii: "*"):
                    throw error("wildcards are not supported: a path names one value", at: offset)
                case 0...0x20, 0x7F:
                    throw error("a field name cannot contain spaces or control characters; write it as [\"…\"]", at: offset)
                case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"), UInt8(ascii: "]"):
                    let character = Character(Unicode.Scalar(bytes[offset]))
                    throw error("unexpected '\(character)' in a field name; write the name as [\"…\"]", at: offset)
                default:
                    offset += 1
                }
            }
            guard offset > start else {
                throw error(offset == bytes.count ? "the path ends with '.'" : "a field name cannot be empty", at: start)
            }
            return Array(bytes[start..<offset])
        }

        /// `[n]`, `["name"]` or `['name']`, from the `[` at `offset`.
        private mutating func bracket() throws(SyntaxError) -> Step {
            let open = offset
            offset += 1
            guard offset < bytes.count else { throw error("'[' is not closed", at: open) }
            let step: Step
            switch bytes[offset] {
            case UInt8(ascii: "\""):
                step = .member(try doubleQuotedName())
            case UInt8(ascii: "'"):
                step = .member(try singleQuotedName())
            case UInt8(ascii: "*"):
                throw error("wildcards are not supported: a path names one value", at: offset)
            case UInt8(ascii: "-"):
                throw error("negative indexes are not supported", at: offset)
            default:
                step = .element(try index())
            }
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "]") else {
                throw error("expected ']' here", at: offset)
            }
            offset += 1
            return step
        }

        /// A name written as a JSON string, escapes and all.
        private mutating func doubleQuotedName() throws(SyntaxError) -> [UInt8] {
            let quote = offset
            var end = quote + 1
            while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
            }
            guard end < bytes.count else { throw error("the quoted name is not closed", at: quote) }
            var name: [UInt8] = []
            let literal = Array(bytes[quote...end])
            var problem: EventError?
            literal.withUnsafeBytes { literal in
                do throws(EventError) {
                    try JSONValidator.validate(literal)
                    JSONString.unescape(UnsafeRawBufferPointer(rebasing: literal.dropFirst().dropLast()), into: &name)
                } catch {
                    problem = error
                }
            }
            if let problem { throw error("invalid quoted name: \(problem.message)", at: quote + problem.offset) }
            guard !name.isEmpty else { throw error("a field name cannot be empty", at: quote) }
            offset = end + 1
            return name
        }

        /// A name in single quotes, taken as written (no escapes).
        private mutating func singleQuotedName() throws(SyntaxError) -> [UInt8] {
            let quote = offset
            guard let end = bytes[(quote + 1)...].firstIndex(of: UInt8(ascii: "'")) else {
                throw error("the quoted name is not closed", at: quote)
            }
            guard end > quote + 1 else { throw error("a field name cannot be empty", at: quote) }
            offset = end + 1
            return Array(bytes[(quote + 1)..<end])
        }

        /// Decimal digits without a leading zero, small enough for any real array.
        private mutating func index() throws(SyntaxError) -> Int {
            let start = offset
            var value = 0
            while offset < bytes.count, bytes[offset] >= UInt8(ascii: "0"), bytes[offset] <= UInt8(ascii: "9") {
                value = value * 10 + Int(bytes[offset] - UInt8(ascii: "0"))
                offset += 1
                guard offset - start <= 9 else { throw error("the index is too large", at: start) }
            }
            guard offset > start else {
                throw error("expected an index (0, 1, …) or a quoted name inside '[ ]'", at: start)
            }
            guard offset - start == 1 || bytes[start] != UInt8(ascii: "0") else {
                throw error("an index cannot have leading zeros", at: start)
            }
            return value
        }

        private func error(_ reason: String, at byteOffset: Int) -> SyntaxError {
            let position = String(decoding: bytes[..<min(byteOffset, bytes.count)], as: UTF8.self).count + 1
            return SyntaxError(path: text, reason: reason, position: position)
        }
    }
}

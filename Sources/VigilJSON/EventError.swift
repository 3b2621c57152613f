/// Why an event could not be matched: it is not well-formed JSON, or exceeds a limit.
public struct EventError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is, for callers that count problems by kind.
    public enum Kind: Sendable, Hashable {
        /// Not well-formed JSON (syntax, escapes, invalid UTF-8).
        case malformed
        /// Nested deeper than the depth limit.
        case tooDeep
    }

    /// The reason, as a sentence.
    public let message: String
    /// Byte offset in the event where the problem was found.
    public let offset: Int
    public let kind: Kind

    public init(_ message: String, offset: Int, kind: Kind = .malformed) {
        self.message = message
        self.offset = offset
        self.kind = kind
    }

    public var description: String { "\(message) at byte \(offset)" }
}

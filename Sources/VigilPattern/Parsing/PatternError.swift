/// Why an event pattern was refused.
///
/// `message` uses the words of AWS's own matcher (event-ruler) wherever it has words for the
/// problem — `Consecutive wildcard characters at pos 2`, `Bottom must be less than top` — so a
/// message seen here can be searched for in AWS's documentation and issue trackers.
public struct PatternError: Error, Sendable, Hashable, CustomStringConvertible {
    /// How event-ruler classifies the failure, which decides whether its legacy compiler is tried.
    public enum Kind: Sendable, Hashable {
        /// A JSON syntax error or a malformed pattern (event-ruler's `JsonParseException`).
        case malformed
        /// A value that event-ruler rejects outside its parser (`IllegalArgumentException`), such as a bad CIDR.
        case invalidValue
        /// A limit on the pattern's size or shape, which event-ruler does not retry: Vigil's own
        /// (the number of `$or` combinations) or Jackson's (the nesting depth).
        case limit
    }

    /// The reason, as a sentence.
    public let message: String
    public let kind: Kind
    /// 1-based line and column in the pattern text where the problem was found, when known.
    public let line: Int?
    public let column: Int?

    public init(_ message: String, kind: Kind = .malformed, line: Int? = nil, column: Int? = nil) {
        self.message = message
        self.kind = kind
        self.line = line
        self.column = column
    }

    public var description: String {
        if let line, let column {
            return "\(message) (line \(line), column \(column))"
        }
        return message
    }
}

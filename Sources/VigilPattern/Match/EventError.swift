/// Why an event could not be matched: it is not well-formed JSON, or exceeds a limit.
public struct EventError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The reason, as a sentence.
    public let message: String
    /// Byte offset in the event where the problem was found.
    public let offset: Int

    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) at byte \(offset)" }
}

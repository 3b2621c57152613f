/// Durable state that could not be opened, read or written.
///
/// The description is a sentence for people; it names the file and what went wrong, and never
/// carries alert bodies or secrets.
public struct StateError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

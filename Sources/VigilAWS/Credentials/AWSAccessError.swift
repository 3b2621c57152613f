/// Why AWS could not be reached as asked: said plainly, without secrets.
public struct AWSAccessError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// No source in the credential chain had credentials.
        case noCredentials
        /// A credentials or config file, or a profile in it, is not usable.
        case badConfiguration
        /// No region was given and none was found.
        case noRegion
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

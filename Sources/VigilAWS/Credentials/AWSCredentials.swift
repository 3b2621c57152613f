/// An access key, its secret and, for temporary credentials, a session token.
///
/// The secret and the token never appear in descriptions, logs or error messages: printing
/// credentials shows the access key id, where they came from, and nothing else.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible {
    public let accessKeyID: String
    public let secretAccessKey: String
    public let sessionToken: String?
    /// Where they were found ("environment", "profile default in ~/.aws/credentials"), for messages.
    public let source: String

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, source: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.source = source
    }

    public var description: String {
        "AWSCredentials(\(accessKeyID), secret redacted\(sessionToken == nil ? "" : ", session token redacted"), from \(source))"
    }
}

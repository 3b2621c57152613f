import Foundation

/// An access key, its secret and, for temporary credentials, a session token and when they expire.
///
/// The secret and the token never appear in descriptions, logs or error messages: printing
/// credentials shows the access key id, where they came from, when they expire, and nothing else.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible {
    public let accessKeyID: String
    public let secretAccessKey: String
    public let sessionToken: String?
    /// When temporary credentials stop working (a role's, from STS, the container endpoint or
    /// instance metadata); nil for long-term keys.
    public let expiration: Date?
    /// Where they were found ("environment", "profile default in ~/.aws/credentials"), for messages.
    public let source: String

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil,
                source: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.source = source
    }

    public var description: String {
        let token = sessionToken == nil ? "" : ", session token redacted"
        let expiry = expiration.map { ", expires \($0.formatted(.iso8601))" } ?? ""
        return "AWSCredentials(\(accessKeyID), secret redacted\(token)\(expiry), from \(source))"
    }
}

/// Where a client gets the credentials it signs with, each time it signs: temporary credentials
/// (a role's, from instance metadata or a web identity) change while Vigil runs.
public protocol AWSCredentialProvider: Sendable {
    /// Credentials valid now, or an error naming every place looked at.
    func credentials() throws(AWSAccessError) -> AWSCredentials

    /// Forgets credentials held for reuse: AWS said they expired before their stated time.
    func invalidate()
}

extension AWSCredentialProvider {
    public func invalidate() {}
}

extension CredentialChain: AWSCredentialProvider {}

/// Always the same credentials: for tests, and for keys given outright.
public struct StaticCredentials: AWSCredentialProvider {
    public let value: AWSCredentials

    public init(_ value: AWSCredentials) {
        self.value = value
    }

    public func credentials() throws(AWSAccessError) -> AWSCredentials { value }
}

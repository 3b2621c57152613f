/// The STS call the Security Hub sink makes: `GetCallerIdentity`, for the account its findings
/// belong to (Security Hub takes findings of the default product only for the calling account).
public final class STSClient: Sendable {
    private let client: AWSClient
    private let endpoint: AWSEndpoint

    public init(client: AWSClient, endpoint: AWSEndpoint) {
        self.client = client
        self.endpoint = endpoint
    }

    /// The 12-digit account of the credentials in use.
    public func callerAccount() throws(AWSServiceError) -> String {
        let request = AWSRequest(method: "POST", scheme: endpoint.scheme, host: endpoint.host, path: "/",
                                 headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                                 body: Array("Action=GetCallerIdentity&Version=2011-06-15".utf8))
        let response = try client.send(request, operation: "GetCallerIdentity")
        guard let account = XMLElements(response.body).text("Account"), !account.isEmpty else {
            throw AWSServiceError(.other, status: response.status, message: "GetCallerIdentity: the answer names no account")
        }
        return account
    }
}

/// The Lambda call an alert sink makes: an asynchronous `Invoke` (`X-Amz-Invocation-Type:
/// Event`). Lambda queues the event and answers 202 at once; the function's own outcome is
/// Lambda's to retry (its asynchronous retries and on-failure destination), not Vigil's.
public final class LambdaClient: Sendable {
    private let client: AWSClient
    private let endpoint: AWSEndpoint

    public init(client: AWSClient, endpoint: AWSEndpoint) {
        self.client = client
        self.endpoint = endpoint
    }

    /// Queues `payload` (JSON) for `function` (a name, or an ARN with or without a version or alias).
    public func invokeAsynchronously(function: String, payload: [UInt8]) throws(AWSServiceError) {
        let request = AWSRequest(method: "POST", scheme: endpoint.scheme, host: endpoint.host,
                                 path: "/2015-03-31/functions/\(AWSPercentEncoding.encode(function))/invocations",
                                 headers: [("Content-Type", "application/json"), ("X-Amz-Invocation-Type", "Event")],
                                 body: payload)
        _ = try client.send(request, operation: "Invoke \(function)")
    }
}

import Foundation

/// Signs and sends requests to one AWS service in one region, retrying what may pass and turning
/// every other failure into an `AWSServiceError` that says what to do about it.
///
/// Credentials are asked of the provider for every attempt, so that temporary credentials renewed
/// meanwhile are used, and an answer saying they expired is tried once more with fresh ones.
public final class AWSClient: Sendable {
    public let service: String
    public let region: String
    private let signer: SigV4Signer
    private let credentials: any AWSCredentialProvider
    private let transport: any AWSHTTPTransport
    private let retryPolicy: AWSRetryPolicy
    /// Seconds one attempt may take before it is abandoned (and retried).
    public let timeout: Double
    /// Told of every retry, with the service name (for metrics).
    private let onRetry: (@Sendable (String) -> Void)?

    public init(service: String, region: String, credentials: any AWSCredentialProvider,
                transport: any AWSHTTPTransport, retryPolicy: AWSRetryPolicy = AWSRetryPolicy(), timeout: Double = 60,
                onRetry: (@Sendable (String) -> Void)? = nil) {
        self.service = service
        self.region = region
        signer = SigV4Signer(service: service, region: region)
        self.credentials = credentials
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.timeout = timeout
        self.onRetry = onRetry
    }

    /// Sends `request` and returns its successful answer.
    ///
    /// - Parameter operation: what is being done, for error messages ("ReceiveMessage queue-url").
    /// - Parameter payloadHash: passed to the signer (nil: hash the body).
    /// - Parameter isCancelled: checked between attempts, so a stopping process does not sleep
    ///   through a backoff.
    public func send(_ request: AWSRequest, operation: String, payloadHash: String? = nil,
                     isCancelled: () -> Bool = { false }) throws(AWSServiceError) -> AWSResponse {
        try withRetries(request, operation: operation, payloadHash: payloadHash, isCancelled: isCancelled) { signed in
            let response = try transport.send(signed, timeout: timeout)
            if let error = AWSServiceError.from(response, operation: operation) { return .failure(error) }
            return .success(response)
        }
    }

    /// Signs and makes attempts until one succeeds, fails in a way retrying cannot mend, or the
    /// attempts run out.
    private func withRetries<Answer>(_ request: AWSRequest, operation: String, payloadHash: String?, isCancelled: () -> Bool,
                                     attempt makeAttempt: (AWSRequest) throws -> Result<Answer, AWSServiceError>)
        throws(AWSServiceError) -> Answer {
        var attempt = 0
        var renewedExpired = false
        while true {
            attempt += 1
            let failure: AWSServiceError
            do {
                var signed = request
                signer.sign(&signed, with: try credentials.credentials(), at: Date(), payloadHash: payloadHash)
                switch try makeAttempt(signed) {
                case .success(let answer): return answer
                case .failure(let error): failure = error
                }
            } catch let error as AWSTransportError {
                failure = AWSServiceError(.unreachable, message: "\(operation): \(error.message)")
            } catch let error as AWSAccessError {
                throw AWSServiceError(.noCredentials, message: "\(operation): \(error.message)")
            } catch {
                throw AWSServiceError(.other, message: "\(operation): \(error)")
            }
            if failure.kind == .expiredCredentials && !renewedExpired {
                // Temporary credentials may have been renewed since they were handed out.
                renewedExpired = true
                credentials.invalidate()
                continue
            }
            guard failure.isRetryable, attempt < retryPolicy.maximumAttempts, !isCancelled() else {
                if failure.isRetryable && attempt > 1 {
                    throw AWSServiceError(failure.kind, code: failure.code, status: failure.status,
                                          message: failure.message + " (after \(attempt) attempts)")
                }
                throw failure
            }
            onRetry?(service)
            Thread.sleep(forTimeInterval: retryPolicy.delay(beforeRetry: attempt))
        }
    }
}

import VigilAWS

extension DeliveryOutcome {
    /// The outcome of a call that failed with `error`: AWS's error code (else `HTTP_<status>`,
    /// else `CONNECTION_ERROR` when no answer came), retryable as `AWSServiceError` says.
    init(_ error: AWSServiceError) {
        let code = error.code ?? error.status.map { "HTTP_\($0)" } ?? (error.kind == .unreachable ? "CONNECTION_ERROR" : "AWS_ERROR")
        self = .serviceError(code: code, retryable: error.isRetryable, message: error.message)
    }

    /// The outcome of an alert refused before sending because it is larger than the API takes:
    /// retrying cannot shrink it, so it goes to the dead-letter file, whole, at once.
    static func tooLarge(size: Int, limit: Int, what: String) -> DeliveryOutcome {
        .serviceError(code: "PAYLOAD_TOO_LARGE", retryable: false,
                      message: "The alert makes \(what) of \(size) bytes; the limit is \(limit). It was not sent, and is kept whole here.")
    }

    /// A success of an AWS call.
    static let awsAccepted = DeliveryOutcome.accepted(status: 200)
}

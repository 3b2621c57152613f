/// What one attempt at delivering an alert came to: a webhook's POST, or one entry of an AWS call.
public enum DeliveryOutcome: Sendable, Equatable {
    /// A 2xx answer: the receiver took the alert.
    case accepted(status: Int)
    /// Any other answer. `retryAfter` is the `Retry-After` header as sent; `message` says what
    /// the receiver answered.
    case httpError(status: Int, retryAfter: String?, message: String)
    /// No answer within the timeout.
    case timeout(message: String)
    /// No answer at all: refused, reset, closed early, name not resolved, TLS failed.
    case connectionError(message: String)
    /// An AWS API refused the alert, as a whole request or as one entry of a batch: `code` is
    /// AWS's error code (`ThrottlingException`, `AccessDeniedException`, …), or Vigil's own for an
    /// alert refused before sending (`PAYLOAD_TOO_LARGE`); `retryable` when a later try may pass
    /// (throttling, internal failures, no answer).
    case serviceError(code: String, retryable: Bool, message: String)

    /// The dead-letter `ERROR_CODE`: `HTTP_404`, `TIMEOUT`, `CONNECTION_ERROR`, an AWS error code;
    /// nil when accepted.
    public var errorCode: String? {
        switch self {
        case .accepted: nil
        case .httpError(let status, _, _): "HTTP_\(status)"
        case .timeout: "TIMEOUT"
        case .connectionError: "CONNECTION_ERROR"
        case .serviceError(let code, _, _): code
        }
    }

    /// The dead-letter `ERROR_MESSAGE`: a sentence, without secrets.
    public var errorMessage: String {
        switch self {
        case .accepted(let status): "The receiver accepted the alert with HTTP \(status)."
        case .httpError(_, _, let message), .timeout(let message), .connectionError(let message),
             .serviceError(_, _, let message): message
        }
    }

    /// The `Retry-After` header of an error answer.
    public var retryAfter: String? {
        if case .httpError(_, let retryAfter, _) = self { return retryAfter }
        return nil
    }
}

/// What one POST of an alert came to.
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

    /// The dead-letter `ERROR_CODE`: `HTTP_404`, `TIMEOUT`, `CONNECTION_ERROR`; nil when accepted.
    public var errorCode: String? {
        switch self {
        case .accepted: nil
        case .httpError(let status, _, _): "HTTP_\(status)"
        case .timeout: "TIMEOUT"
        case .connectionError: "CONNECTION_ERROR"
        }
    }

    /// The dead-letter `ERROR_MESSAGE`: a sentence, without secrets.
    public var errorMessage: String {
        switch self {
        case .accepted(let status): "The webhook accepted the alert with HTTP \(status)."
        case .httpError(_, _, let message), .timeout(let message), .connectionError(let message): message
        }
    }

    /// The `Retry-After` header of an error answer.
    public var retryAfter: String? {
        if case .httpError(_, let retryAfter, _) = self { return retryAfter }
        return nil
    }
}

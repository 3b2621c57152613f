import Foundation

/// Why a call to S3 or SQS failed, in the terms an operator acts on, without secrets.
///
/// Made from the error code AWS sends (S3's XML `<Code>`, the JSON protocol's `__type`, the query
/// protocol's `x-amzn-query-error` header) and, where there is none (a `HEAD`), the status.
public struct AWSServiceError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The credentials are valid but not allowed to do this: an IAM policy is missing.
        case accessDenied
        /// The credentials are not accepted: unknown key, wrong secret.
        case invalidCredentials
        /// Temporary credentials have expired.
        case expiredCredentials
        /// No credentials, or no region, could be found (`AWSAccessError`).
        case noCredentials
        case noSuchBucket
        case noSuchKey
        case noSuchQueue
        /// Slow down: retried with backoff, reported only when retries ran out.
        case throttled
        /// A 5xx: retried with backoff, reported only when retries ran out.
        case serverError
        /// The bucket is in another region than the one asked.
        case wrongRegion
        /// No HTTP answer: a connection failure or a timeout.
        case unreachable
        /// Any other refusal; `code` says which.
        case other
    }

    public let kind: Kind
    /// AWS's error code (`AccessDenied`, `NoSuchBucket`, …), when there was one.
    public let code: String?
    public let status: Int?
    public let message: String

    public init(_ kind: Kind, code: String? = nil, status: Int? = nil, message: String) {
        self.kind = kind
        self.code = code
        self.status = status
        self.message = message
    }

    public var description: String { message }

    /// Whether trying again later could succeed.
    public var isRetryable: Bool {
        switch kind {
        case .throttled, .serverError, .unreachable: true
        default: false
        }
    }

    /// Whether an error code that a batch API gives one entry (EventBridge's `Entries[].ErrorCode`,
    /// Security Hub's `FailedFindings[].ErrorCode`) may pass on a later try: throttling and
    /// internal failures.
    public static func isRetryable(entryErrorCode code: String) -> Bool {
        let kind = kind(code: code, status: 0)
        return kind == .throttled || kind == .serverError
    }

    /// The error an answer carries, or nil for a success. `operation` names what was attempted
    /// ("GetObject s3://bucket/key") for the message.
    public static func from(_ response: AWSResponse, operation: String) -> AWSServiceError? {
        guard !response.isSuccess else { return nil }
        let (code, detail) = errorCode(of: response)
        let kind = kind(code: code, status: response.status)
        var message = "\(operation): "
        switch kind {
        case .accessDenied: message += "access denied (the credentials' IAM policy does not allow it)"
        case .invalidCredentials: message += "the credentials are not accepted (\(code ?? "HTTP \(response.status)"))"
        case .expiredCredentials: message += "the credentials have expired; renew them (e.g. a new session token)"
        case .noSuchBucket: message += "no such bucket"
        case .noSuchKey: message += "no such object"
        case .noSuchQueue: message += "no such queue (or not in this account and region)"
        case .throttled: message += "throttled by AWS (\(code ?? "HTTP \(response.status)"))"
        case .serverError: message += "AWS answered HTTP \(response.status)\(code.map { " (\($0))" } ?? "")"
        case .wrongRegion:
            let region = response.header("x-amz-bucket-region")
            message += "the bucket is in another region\(region.map { " (\($0)); pass --aws-region \($0)" } ?? "")"
        case .other, .unreachable, .noCredentials: message += "HTTP \(response.status)\(code.map { " \($0)" } ?? "")"
        }
        if let detail, !detail.isEmpty, kind == .other || kind == .invalidCredentials || kind == .accessDenied {
            message += ": " + detail
        }
        return AWSServiceError(kind, code: code, status: response.status, message: message)
    }

    static func kind(code: String?, status: Int) -> Kind {
        switch code {
        case "AccessDenied", "AccessDeniedException", "AuthorizationError", "KMS.AccessDeniedException",
             "AllAccessDisabled":
            return .accessDenied
        case "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidClientTokenId", "UnrecognizedClientException",
             "IncompleteSignature", "InvalidSecurity", "MissingAuthenticationToken":
            return .invalidCredentials
        case "ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired":
            return .expiredCredentials
        case "NoSuchBucket":
            return .noSuchBucket
        case "NoSuchKey":
            return .noSuchKey
        case "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist", "NonExistentQueue":
            return .noSuchQueue
        case "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "SlowDown",
             "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled", "BandwidthLimitExceeded",
             "EC2ThrottledException", "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete":
            return .throttled
        case "InternalError", "InternalFailure", "ServiceUnavailable", "AWS.SimpleQueueService.InternalError",
             "InternalException", "InternalServerException", "ServiceUnavailableException":
            return .serverError
        case "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException":
            return .wrongRegion
        default:
            break
        }
        switch status {
        case 429, 408: return .throttled
        case 500...599: return .serverError
        case 301, 307: return .wrongRegion
        case 403: return .accessDenied
        default: return .other
        }
    }

    /// The error code and message in an answer: the query protocol's header, S3's XML, or the JSON
    /// protocol's `__type` (`com.amazonaws.sqs#QueueDoesNotExist` → `QueueDoesNotExist`).
    static func errorCode(of response: AWSResponse) -> (code: String?, message: String?) {
        if let header = response.header("x-amzn-query-error"), let code = header.split(separator: ";").first {
            return (String(code), jsonField(["message", "Message"], in: response.body))
        }
        if let code = xmlElement("Code", in: response.body) {
            return (code, xmlElement("Message", in: response.body))
        }
        if let type = jsonField(["__type", "code"], in: response.body) ?? response.header("x-amzn-errortype") {
            let code = type.split(separator: "#").last.map(String.init) ?? type
            return (code.split(separator: ":").first.map(String.init), jsonField(["message", "Message"], in: response.body))
        }
        return (response.header("x-amz-error-code"), nil)
    }

    /// The text of the first `<name>` element: error bodies are small and flat.
    static func xmlElement(_ name: String, in body: [UInt8]) -> String? {
        let text = String(decoding: body.prefix(64 * 1024), as: UTF8.self)
        guard let open = text.range(of: "<\(name)>"),
              let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex) else { return nil }
        return XMLText.unescape(String(text[open.upperBound..<close.lowerBound]))
    }

    private static func jsonField(_ names: [String], in body: [UInt8]) -> String? {
        guard !body.isEmpty, body.count < 64 * 1024,
              let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
        for name in names {
            if let value = object[name] as? String { return value }
        }
        return nil
    }
}

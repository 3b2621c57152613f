import Foundation
import VigilAWS

/// An AWS sink as specified (`sns:TOPIC_ARN`, …) or configured: its kind and target, how it
/// delivers (retries, timeout, concurrency, as a webhook's), and where requests go.
public struct AWSSinkSettings: Sendable, Equatable {
    /// The specification, as written (`sns:arn:aws:sns:…`).
    public let specification: String
    /// The kind and its target.
    public let kind: any AWSSinkKind
    /// Retries after the first attempt, maximum age, backoff: EventBridge's defaults, as webhooks.
    public let retryPolicy: RetryPolicy
    /// How long one call may take, in seconds.
    public let timeout: TimeInterval
    /// Calls in flight at once.
    public let concurrency: Int
    /// How long a delivered alert id is remembered.
    public let deliveredRetention: TimeInterval
    /// Where requests go instead of AWS's endpoint (a configuration's `endpointUrl`); nil: the
    /// environment's `AWS_ENDPOINT_URL_<SERVICE>` / `AWS_ENDPOINT_URL`, else AWS.
    public let endpoint: AWSEndpoint?

    /// Reads `specification`; throws a sentence when no kind takes it.
    public init(specification: String, retryPolicy: RetryPolicy = RetryPolicy(), timeout: TimeInterval = 10,
                concurrency: Int = 4, deliveredRetention: TimeInterval = 7 * 24 * 60 * 60,
                endpoint: AWSEndpoint? = nil) throws(AWSSinkSpecificationError) {
        guard let (kind, target) = AWSSinkKinds.kind(of: specification) else {
            throw AWSSinkSpecificationError("\(specification) is not an AWS sink; those are \(AWSSinkKinds.syntaxList).")
        }
        self.specification = specification
        self.kind = try kind.init(target: target)
        self.retryPolicy = retryPolicy
        self.timeout = timeout
        self.concurrency = concurrency
        self.deliveredRetention = deliveredRetention
        self.endpoint = endpoint
    }

    public static func == (left: AWSSinkSettings, right: AWSSinkSettings) -> Bool {
        left.specification == right.specification && left.retryPolicy == right.retryPolicy && left.timeout == right.timeout
            && left.concurrency == right.concurrency && left.deliveredRetention == right.deliveredRetention
            && left.endpoint == right.endpoint
    }
}

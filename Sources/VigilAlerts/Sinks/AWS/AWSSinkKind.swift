import Foundation
import VigilAWS

/// One kind of AWS sink (SNS, EventBridge, Lambda, Security Hub): how its specification reads,
/// what it spools for an alert, and how it sends spooled alerts. Every kind delivers through the
/// same spool, retry policy and dead-letter file (`SpooledSink`); a new kind is a file with a
/// type conforming to this, listed in `AWSSinkKinds.all`.
public protocol AWSSinkKind: Sendable {
    /// What the specification starts with: `sns` in `sns:TOPIC_ARN`.
    static var scheme: String { get }
    /// The specification's syntax, for messages and help: `sns:TOPIC_ARN`.
    static var syntax: String { get }
    /// The service's identifier in endpoint variables (`AWS_ENDPOINT_URL_SNS`) and its signing name.
    static var service: (identifier: String, signingName: String) { get }
    /// Reads what follows `scheme:` (nil when the specification is the scheme alone); throws a
    /// sentence saying what is wrong.
    init(target: String?) throws(AWSSinkSpecificationError)
    /// The region the target names; nil: the default region (`AWS_REGION`, the profile's, …).
    var region: String? { get }
    /// What is spooled for `alert` (the payload the transport sends, or what it is made from).
    func spooled(_ alert: Alert, sink: String) -> PendingDelivery
    /// The transport that sends this kind's spooled alerts through `context`.
    func transport(_ context: AWSSinkContext) -> any DeliveryTransport
    /// The specification of this kind's sink for an EventBridge rule target `arn`, when it is of
    /// this kind (`--import-targets`); nil otherwise.
    static func specification(forTarget arn: AWSARN) -> String?
}

extension AWSSinkKind {
    public static func specification(forTarget arn: AWSARN) -> String? { nil }
}

/// Why a specification of an AWS sink cannot be used.
public struct AWSSinkSpecificationError: Error, Sendable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }
}

/// What an AWS sink's transport sends through: a signed client for its service and region, the
/// endpoint, and the shared access (for other calls, such as Security Hub's account lookup).
public struct AWSSinkContext: Sendable {
    public let client: AWSClient
    public let endpoint: AWSEndpoint
    public let region: String
    public let access: AWSSinkAccess
}

extension Alert {
    /// The alert as a JSON object: the input transformer's output when that is a JSON object,
    /// else the alert itself, for the APIs that take only a JSON object (EventBridge's `Detail`,
    /// a Lambda payload).
    var jsonObjectBody: [UInt8] {
        if let transformed, transformed.isJSON, transformed.bytes.first(where: { $0 > 0x20 }) == UInt8(ascii: "{") {
            return transformed.bytes
        }
        return line.last == 0x0A ? Array(line.dropLast()) : line
    }
}

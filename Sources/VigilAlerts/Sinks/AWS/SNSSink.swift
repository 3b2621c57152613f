import Foundation
import VigilAWS

/// `sns:TOPIC_ARN`: each alert published to the topic (`Publish`), its body (the alert JSON, or
/// the input transformer's output) as the message, with `severity` and `rule` as String message
/// attributes so that subscriptions can filter on them.
///
/// SNS takes messages of at most 256 KiB, attributes included. A larger alert (an event with a
/// huge request parameter, say) is not truncated, which would break its JSON: it goes to the
/// dead-letter file whole, with `PAYLOAD_TOO_LARGE`, at once.
public struct SNSSinkKind: AWSSinkKind {
    public static let scheme = "sns"
    public static let syntax = "sns:TOPIC_ARN"
    public static let service = (identifier: "SNS", signingName: "sns")

    /// The topic's ARN.
    public let topic: AWSARN

    public init(target: String?) throws(AWSSinkSpecificationError) {
        guard let target, let arn = AWSARN(target), arn.service == "sns", !arn.resource.contains(":") else {
            throw AWSSinkSpecificationError(
                "sns: needs a topic ARN, as in sns:arn:aws:sns:us-east-1:111122223333:security-alerts.")
        }
        topic = arn
    }

    public var region: String? { topic.region }

    public static func specification(forTarget arn: AWSARN) -> String? {
        arn.service == "sns" ? "\(scheme):\(arn)" : nil
    }

    public func spooled(_ alert: Alert, sink: String) -> PendingDelivery {
        PendingDelivery(sink: sink, alert: alert)
    }

    public func transport(_ context: AWSSinkContext) -> any DeliveryTransport {
        SNSTransport(client: SNSClient(client: context.client, endpoint: context.endpoint), topic: topic.description,
                     timeout: context.client.timeout)
    }
}

/// Publishes one alert per call.
struct SNSTransport: DeliveryTransport {
    let client: SNSClient
    let topic: String
    let timeout: TimeInterval

    var batchLimit: DeliveryBatchLimit { .single }

    func deliver(_ batch: [SpooledDelivery], now: Date) -> [DeliveryOutcome] {
        batch.map { delivery in
            var attributes: [(name: String, value: String)] = []
            if let severity = delivery.severity { attributes.append(("severity", severity)) }
            attributes.append(("rule", delivery.rule))
            let size = SNSClient.billedSize(message: delivery.body, attributes: attributes)
            guard size <= SNSClient.maximumMessageBytes else {
                return .tooLarge(size: size, limit: SNSClient.maximumMessageBytes, what: "an SNS message with its attributes")
            }
            do throws(AWSServiceError) {
                try client.publish(topicARN: topic, message: delivery.body, attributes: attributes)
                return .awsAccepted
            } catch {
                return DeliveryOutcome(error)
            }
        }
    }

    func invalidate() {}
}

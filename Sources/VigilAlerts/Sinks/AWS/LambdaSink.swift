import Foundation
import VigilAWS

/// `lambda:FUNCTION_ARN`: each alert (or the input transformer's output, when that is a JSON
/// object) as the payload of an asynchronous invocation (`Invoke`, `X-Amz-Invocation-Type:
/// Event`). Lambda answers 202 once it has queued the event; what the function then does, and
/// its own retries, are Lambda's. A payload over Lambda's limit is refused by Lambda (413), which
/// retrying cannot mend: it is dead-lettered.
public struct LambdaSinkKind: AWSSinkKind {
    public static let scheme = "lambda"
    public static let syntax = "lambda:FUNCTION_ARN"
    public static let service = (identifier: "Lambda", signingName: "lambda")

    /// The function's ARN, with a version or alias if one was given.
    public let function: AWSARN

    public init(target: String?) throws(AWSSinkSpecificationError) {
        guard let target, let arn = AWSARN(target), arn.service == "lambda", arn.resource.hasPrefix("function:"),
              arn.resource.count > "function:".count else {
            throw AWSSinkSpecificationError(
                "lambda: needs a function ARN, as in lambda:arn:aws:lambda:us-east-1:111122223333:function:respond.")
        }
        function = arn
    }

    public var region: String? { function.region }

    public static func specification(forTarget arn: AWSARN) -> String? {
        arn.service == "lambda" && arn.resource.hasPrefix("function:") ? "\(scheme):\(arn)" : nil
    }

    public func spooled(_ alert: Alert, sink: String) -> PendingDelivery {
        PendingDelivery(sink: sink, alert: alert, body: alert.jsonObjectBody, contentType: "application/json")
    }

    public func transport(_ context: AWSSinkContext) -> any DeliveryTransport {
        LambdaTransport(client: LambdaClient(client: context.client, endpoint: context.endpoint),
                        function: function.description, timeout: context.client.timeout)
    }
}

/// Invokes the function once per alert.
struct LambdaTransport: DeliveryTransport {
    let client: LambdaClient
    let function: String
    let timeout: TimeInterval

    var batchLimit: DeliveryBatchLimit { .single }

    func deliver(_ batch: [SpooledDelivery], now: Date) -> [DeliveryOutcome] {
        batch.map { delivery in
            do throws(AWSServiceError) {
                try client.invokeAsynchronously(function: function, payload: delivery.body)
                return .accepted(status: 202)
            } catch {
                return DeliveryOutcome(error)
            }
        }
    }

    func invalidate() {}
}

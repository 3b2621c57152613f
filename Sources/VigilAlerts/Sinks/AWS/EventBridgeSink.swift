import Foundation
import VigilAWS

/// `eventbridge:BUS_NAME_OR_ARN`: alerts put on an event bus (`PutEvents`) as events of source
/// `vigil` and detail type `Vigil Alert`, the alert (or the input transformer's output, when that
/// is a JSON object) as the detail; up to 10 entries and 256 KiB a call. EventBridge answers for
/// each entry: only the entries it refused are retried (or dead-lettered, for errors retrying
/// cannot mend). An alert over 256 KiB alone is dead-lettered at once (`PAYLOAD_TOO_LARGE`).
public struct EventBridgeSinkKind: AWSSinkKind {
    public static let scheme = "eventbridge"
    public static let syntax = "eventbridge:BUS_NAME_OR_ARN"
    public static let service = (identifier: "EventBridge", signingName: "events")
    /// The events' `source` and `detail-type`.
    public static let source = "vigil", detailType = "Vigil Alert"

    /// The bus, as given: a name (`default`, `security`) or an ARN.
    public let bus: String
    public let region: String?

    public init(target: String?) throws(AWSSinkSpecificationError) {
        guard let target, !target.isEmpty else {
            throw AWSSinkSpecificationError("eventbridge: needs a bus name or ARN, as in eventbridge:default.")
        }
        if target.hasPrefix("arn:") {
            guard let arn = AWSARN(target), arn.service == "events", arn.resource.hasPrefix("event-bus/") else {
                throw AWSSinkSpecificationError(
                    "eventbridge: \(target) is not an event bus ARN (arn:aws:events:REGION:ACCOUNT:event-bus/NAME).")
            }
            region = arn.region
        } else {
            // EventBridge's bus names: 1 to 256 of these characters.
            guard target.count <= 256, target.utf8.allSatisfy({ byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "/")
            }) else {
                throw AWSSinkSpecificationError("eventbridge: \(target) is not an event bus name ([/.-_A-Za-z0-9], at most 256).")
            }
            region = nil
        }
        bus = target
    }

    public static func specification(forTarget arn: AWSARN) -> String? {
        arn.service == "events" && arn.resource.hasPrefix("event-bus/") ? "\(scheme):\(arn)" : nil
    }

    public func spooled(_ alert: Alert, sink: String) -> PendingDelivery {
        PendingDelivery(sink: sink, alert: alert, body: alert.jsonObjectBody, contentType: "application/json")
    }

    public func transport(_ context: AWSSinkContext) -> any DeliveryTransport {
        EventBridgeTransport(client: EventBridgeClient(client: context.client, endpoint: context.endpoint), bus: bus,
                             timeout: context.client.timeout)
    }
}

/// Puts a batch of alerts in one call and reads each entry's result.
struct EventBridgeTransport: DeliveryTransport {
    let client: EventBridgeClient
    let bus: String
    let timeout: TimeInterval

    var batchLimit: DeliveryBatchLimit {
        DeliveryBatchLimit(count: EventBridgeClient.maximumEntries, bytes: EventBridgeClient.maximumRequestBytes,
                           entryOverhead: EventBridgeSinkKind.source.utf8.count + EventBridgeSinkKind.detailType.utf8.count)
    }

    func deliver(_ batch: [SpooledDelivery], now: Date) -> [DeliveryOutcome] {
        var outcomes = [DeliveryOutcome?](repeating: nil, count: batch.count)
        var sent: [Int] = []
        var entries: [EventBridgeClient.Entry] = []
        for (index, delivery) in batch.enumerated() {
            let entry = EventBridgeClient.Entry(source: EventBridgeSinkKind.source, detailType: EventBridgeSinkKind.detailType,
                                                detail: delivery.body)
            if entry.size > EventBridgeClient.maximumRequestBytes {
                outcomes[index] = .tooLarge(size: entry.size, limit: EventBridgeClient.maximumRequestBytes, what: "an EventBridge entry")
            } else {
                sent.append(index)
                entries.append(entry)
            }
        }
        if !entries.isEmpty {
            do throws(AWSServiceError) {
                let results = try client.putEvents(bus: bus, entries: entries)
                for (index, result) in zip(sent, results) {
                    switch result {
                    case .put:
                        outcomes[index] = .awsAccepted
                    case .failed(let code, let message):
                        outcomes[index] = .serviceError(code: code, retryable: AWSServiceError.isRetryable(entryErrorCode: code),
                                                        message: "PutEvents \(bus): EventBridge refused the entry: \(message)")
                    }
                }
            } catch {
                for index in sent { outcomes[index] = DeliveryOutcome(error) }
            }
        }
        return outcomes.map { $0! }
    }

    func invalidate() {}
}

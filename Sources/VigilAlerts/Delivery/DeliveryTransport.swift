import Foundation

/// How a spooled sink's workers send alerts: a webhook's POST, one AWS API's call. The spool,
/// the retry policy, the dead-letter file and the workers are the same for every transport
/// (`SpooledSink`); only this differs.
///
/// A transport takes a batch of spooled alerts (one alert, for APIs that take one) and says what
/// became of each, so that an API that accepts some entries of a request and refuses others has
/// only those retried.
public protocol DeliveryTransport: Sendable {
    /// How many alerts, and how many bytes of them, one call may carry.
    var batchLimit: DeliveryBatchLimit { get }
    /// How long one call may take before it counts as a timeout, in seconds.
    var timeout: TimeInterval { get }
    /// Attempts to deliver `batch` (within `batchLimit`, save a single alert over the byte limit,
    /// which the transport refuses); returns one outcome per alert, in order.
    func deliver(_ batch: [SpooledDelivery], now: Date) -> [DeliveryOutcome]
    /// Ends the transport's connections; called once the workers have stopped.
    func invalidate()
}

/// How much one call of a transport may carry.
public struct DeliveryBatchLimit: Sendable, Equatable {
    /// Alerts in one call, at most.
    public let count: Int
    /// Bytes in one call, at most, counting each alert's body and `entryOverhead`.
    public let bytes: Int
    /// What each alert adds to the call beside its body (an EventBridge entry's `Source` and
    /// `DetailType`, say).
    public let entryOverhead: Int

    public init(count: Int, bytes: Int = .max, entryOverhead: Int = 0) {
        self.count = max(1, count)
        self.bytes = bytes
        self.entryOverhead = entryOverhead
    }

    /// One alert per call.
    public static let single = DeliveryBatchLimit(count: 1)
}

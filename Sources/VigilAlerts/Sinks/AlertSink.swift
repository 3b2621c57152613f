/// Where alerts go.
///
/// A sink is used from one thread at a time (the router gives each its own queue and thread), so
/// it needs no locking of its own for `send`, `flush` and `finish`.
public protocol AlertSink: AnyObject {
    /// The name rules use in `targets`.
    var name: String { get }
    /// Takes one alert. It may be buffered until `flush`.
    func send(_ alert: Alert) throws(SinkError)
    /// Returns once every alert sent so far is durably taken: written and synced for a file,
    /// committed to the spool for a webhook. A tail checkpoint may move past them after this.
    func flush() throws(SinkError)
    /// Returns once every alert sent so far has reached its destination or the dead-letter
    /// file; replay calls it before exiting. Sinks without a queue of their own just flush.
    func finish() throws(SinkError)
    /// What the sink delivered, retried and dead-lettered so far, for sinks that deliver on their
    /// own (webhooks); nil for the others.
    var deliveryReport: DeliveryReport? { get }
    /// Where the sink's durable output ended at its last successful flush, for sinks that write
    /// a regular file; nil for the others. A tail saves it with its checkpoint.
    var checkpoint: SinkCheckpoint? { get }
}

extension AlertSink {
    public func finish() throws(SinkError) { try flush() }

    public var deliveryReport: DeliveryReport? { nil }

    public var checkpoint: SinkCheckpoint? { nil }
}

/// A sink that could not take alerts.
public struct SinkError: Error, Sendable, CustomStringConvertible {
    public let sink: String
    public let reason: String

    public init(sink: String, reason: String) {
        self.sink = sink
        self.reason = reason
    }

    public var description: String { "sink \(sink): \(reason)" }
}

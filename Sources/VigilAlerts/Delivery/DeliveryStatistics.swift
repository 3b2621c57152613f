/// What a spooled sink (a webhook, an AWS sink) has done so far, for a run's summary.
public struct DeliveryStatistics: Sendable, Equatable {
    /// Alerts the receiver accepted (a webhook's 2xx, an AWS call's success).
    public var delivered = 0
    /// Failed attempts that were scheduled to be tried again.
    public var retried = 0
    /// Alerts written to the dead-letter file.
    public var deadLettered = 0
    /// Alerts sent to the sink but not spooled: already pending, or delivered within the retention.
    public var alreadyTaken = 0

    public init() {}
}

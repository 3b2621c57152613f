/// What a sink that delivers on its own (a webhook, an AWS sink) did in a run, for the summary.
public struct DeliveryReport: Sendable, Equatable {
    /// The sink's name.
    public let sink: String
    public let statistics: DeliveryStatistics
    /// Where the alerts it could not deliver went.
    public let deadLetterFile: String

    public init(sink: String, statistics: DeliveryStatistics, deadLetterFile: String) {
        self.sink = sink
        self.statistics = statistics
        self.deadLetterFile = deadLetterFile
    }
}

extension SpooledSink {
    public var deliveryReport: DeliveryReport? {
        DeliveryReport(sink: name, statistics: statistics, deadLetterFile: deadLetters.path)
    }
}

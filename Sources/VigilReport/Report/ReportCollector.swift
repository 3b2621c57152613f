import Synchronization
import VigilAlerts

/// Collects a replay's alerts for its report, whatever sinks their rules target: the router hands
/// every alert it sends to a `ReportSink` (on the sink's own thread), and the command reads the
/// builder once the run has finished.
public final class ReportCollector: Sendable {
    private let state = Mutex(ReportBuilder())

    public init() {}

    func add(_ line: [UInt8]) {
        guard let document = try? AlertDocument(line: line) else { return }
        state.withLock { $0.add(document) }
    }

    /// What was collected so far.
    public var builder: ReportBuilder { state.withLock { $0 } }

    /// A sink that feeds this collector.
    public func makeSink() -> sending ReportSink { ReportSink(collector: self) }
}

/// The sink side of a `ReportCollector`.
public final class ReportSink: AlertSink {
    public let name = "report"
    private let collector: ReportCollector

    init(collector: ReportCollector) {
        self.collector = collector
    }

    public func send(_ alert: Alert) throws(SinkError) {
        collector.add(alert.line)
    }

    public func flush() throws(SinkError) {}
}

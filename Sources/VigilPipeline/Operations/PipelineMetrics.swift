import Foundation
import Synchronization
import VigilAlerts
import VigilIngest
import VigilMetrics

/// Feeds `--metrics-listen`'s Prometheus metrics and `/healthz` from what the pipeline already
/// counts: each file's or object's summary, the webhook sinks' statistics, the SQS consumer's
/// events, the tail's lag and spool.
///
/// Called per file, object, message or loop turn, never per record, so it costs nothing
/// measurable on the hot path.
public final class PipelineMetrics: Sendable {
    public let metrics: VigilMetrics
    public let health: HealthCheck
    /// Severity by rule name, for the alerts' labels; set whenever the rules are (re)loaded.
    private let severities = Mutex<[String: String]>([:])
    /// What each webhook sink had reported at the last look, so that counters move by the difference.
    private let lastDeliveries = Mutex<[String: DeliveryStatistics]>([:])

    public init(metrics: VigilMetrics = VigilMetrics(), health: HealthCheck = HealthCheck()) {
        self.metrics = metrics
        self.health = health
    }

    func rulesLoaded(_ rules: RuleSet) {
        var map: [String: String] = [:]
        for rule in rules.rules { map[rule.name] = rule.severity.rawValue }
        severities.withLock { $0 = map }
    }

    /// Counts what reading one file or object (or a run of them) came to.
    func read(_ summary: RunSummary, source: String) {
        metrics.recordsRead(summary.records, source: source)
        metrics.bytesRead(summary.decodedBytes, source: source)
        for (kind, count) in summary.eventsByKind {
            metrics.eventsRead(count, source: source, kind: kind.name)
        }
        for (kind, count) in summary.problems {
            metrics.inputProblems(count, source: source, kind: kind.rawValue)
        }
        let severities = severities.withLock { $0 }
        for (rule, count) in summary.alertsByRule {
            metrics.alertsRaised(count, rule: rule, severity: severities[rule] ?? "unknown")
        }
        if summary.records > 0 { metrics.progressMade() }
    }

    /// Moves the delivery counters to the webhook sinks' latest statistics.
    func deliveries(_ reports: [DeliveryReport]) {
        let changes = lastDeliveries.withLock { last -> [(String, DeliveryStatistics)] in
            var changes: [(String, DeliveryStatistics)] = []
            for report in reports {
                let before = last[report.sink] ?? DeliveryStatistics()
                var delta = DeliveryStatistics()
                // A sink made anew (a reload, a new session) counts from zero again.
                let restarted = report.statistics.delivered < before.delivered || report.statistics.retried < before.retried
                    || report.statistics.deadLettered < before.deadLettered
                let base = restarted ? DeliveryStatistics() : before
                delta.delivered = report.statistics.delivered - base.delivered
                delta.retried = report.statistics.retried - base.retried
                delta.deadLettered = report.statistics.deadLettered - base.deadLettered
                last[report.sink] = report.statistics
                changes.append((report.sink, delta))
            }
            return changes
        }
        for (sink, delta) in changes {
            metrics.sinkDelivery(sink: sink, outcome: .delivered, count: delta.delivered)
            metrics.sinkDelivery(sink: sink, outcome: .retried, count: delta.retried)
            metrics.sinkDelivery(sink: sink, outcome: .deadLettered, count: delta.deadLettered)
        }
    }

    /// What the SQS consumer did; a receive that keeps failing makes `/healthz` fail.
    public func queueEvent(_ event: SQSConsumerEvent) {
        switch event {
        case .received(let count): metrics.sqsMessagesReceived(count)
        case .extended: metrics.sqsVisibilityExtended()
        case .deleted: metrics.sqsMessagesDeleted(1)
        case .failed: metrics.sqsMessagesFailed(1)
        case .receiveFailed(let reason): health.failing(component: "sqs", reason: reason)
        case .recovered: health.recovered(component: "sqs")
        }
    }
}

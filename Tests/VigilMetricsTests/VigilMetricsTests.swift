import Foundation
import Testing
import VigilMetrics

/// What a scrape shows after the pipeline reports: every family with its labels and the sums of
/// the calls.
@Suite struct VigilMetricsTests {
    /// The sample lines of an exposition (no `#` lines), for exact comparisons.
    static func samples(_ metrics: VigilMetrics) -> Set<String> {
        Set(metrics.exposition().split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") })
    }

    @Test func inputCountersAddUpPerLabelSet() {
        let metrics = VigilMetrics()
        metrics.recordsRead(10, source: "file")
        metrics.recordsRead(5, source: "file")
        metrics.recordsRead(7, source: "s3")
        metrics.eventsRead(12, source: "file", kind: "cloudtrail")
        metrics.eventsRead(3, source: "s3", kind: "vpcflow")
        metrics.bytesRead(4096, source: "s3")
        metrics.inputProblems(2, source: "file", kind: "json")
        let lines = Self.samples(metrics)
        #expect(lines.contains(#"vigil_records_read_total{source="file"} 15"#))
        #expect(lines.contains(#"vigil_records_read_total{source="s3"} 7"#))
        #expect(lines.contains(#"vigil_events_total{source="file",kind="cloudtrail"} 12"#))
        #expect(lines.contains(#"vigil_events_total{source="s3",kind="vpcflow"} 3"#))
        #expect(lines.contains(#"vigil_bytes_read_total{source="s3"} 4096"#))
        #expect(lines.contains(#"vigil_input_problems_total{source="file",kind="json"} 2"#))
    }

    @Test func alertsAndSinkDeliveries() {
        let metrics = VigilMetrics()
        metrics.alertRaised(rule: "root-login", severity: "high")
        metrics.alertRaised(rule: "root-login", severity: "high")
        metrics.alertsRaised(4, rule: "s3-public", severity: "critical")
        metrics.sinkDelivery(sink: "webhook", outcome: .delivered, count: 3)
        metrics.sinkDelivery(sink: "webhook", outcome: .retried)
        metrics.sinkDelivery(sink: "webhook", outcome: .deadLettered)
        metrics.sinkDelivery(sink: "file", outcome: .failed)
        metrics.setSpoolDepth(42)
        let lines = Self.samples(metrics)
        #expect(lines.contains(#"vigil_alerts_total{rule="root-login",severity="high"} 2"#))
        #expect(lines.contains(#"vigil_alerts_total{rule="s3-public",severity="critical"} 4"#))
        #expect(lines.contains(#"vigil_sink_deliveries_total{sink="webhook",outcome="delivered"} 3"#))
        #expect(lines.contains(#"vigil_sink_deliveries_total{sink="webhook",outcome="retried"} 1"#))
        #expect(lines.contains(#"vigil_sink_deliveries_total{sink="webhook",outcome="dead_lettered"} 1"#))
        #expect(lines.contains(#"vigil_sink_deliveries_total{sink="file",outcome="failed"} 1"#))
        #expect(lines.contains("vigil_spool_depth 42.0"))
    }

    @Test func sqsAndS3() {
        let metrics = VigilMetrics()
        metrics.sqsMessagesReceived(10)
        metrics.sqsMessagesDeleted(8)
        metrics.sqsMessagesFailed(1)
        metrics.setSQSMessagesInFlight(2)
        metrics.sqsVisibilityExtended()
        metrics.sqsVisibilityExtended()
        metrics.s3Object(.processed)
        metrics.s3Object(.processed)
        metrics.s3Object(.failed)
        metrics.awsRequestRetried(service: "s3")
        let lines = Self.samples(metrics)
        #expect(lines.contains("vigil_sqs_messages_received_total 10"))
        #expect(lines.contains("vigil_sqs_messages_deleted_total 8"))
        #expect(lines.contains("vigil_sqs_messages_failed_total 1"))
        #expect(lines.contains("vigil_sqs_messages_in_flight 2.0"))
        #expect(lines.contains("vigil_sqs_visibility_extensions_total 2"))
        #expect(lines.contains(#"vigil_s3_objects_total{outcome="processed"} 2"#))
        #expect(lines.contains(#"vigil_s3_objects_total{outcome="failed"} 1"#))
        #expect(lines.contains(#"vigil_aws_request_retries_total{service="s3"} 1"#))
    }

    @Test func progressGauges() {
        let metrics = VigilMetrics()
        metrics.setProcessingLag(seconds: 12.5)
        metrics.progressMade(at: Date(timeIntervalSince1970: 1_700_000_000))
        let lines = Self.samples(metrics)
        #expect(lines.contains("vigil_processing_lag_seconds 12.5"))
        #expect(lines.contains("vigil_last_progress_timestamp_seconds 1700000000.0"))
        metrics.setProcessingLag(seconds: -3)  // a clock step must not show a negative age
        #expect(Self.samples(metrics).contains("vigil_processing_lag_seconds 0.0"))
    }

    /// Unlabelled families are there, at 0, from the first scrape, so `rate()` sees their start.
    @Test func unlabelledFamiliesStartAtZeroWithTypeAndHelp() {
        let text = VigilMetrics().exposition()
        #expect(text.contains("# TYPE vigil_sqs_messages_received_total counter"))
        #expect(text.contains("# HELP vigil_sqs_messages_received_total SQS messages received."))
        #expect(text.contains("# TYPE vigil_spool_depth gauge"))
        #expect(text.contains("vigil_sqs_messages_received_total 0\n"))
    }

    /// A zero or negative count is ignored: the Prometheus counter would trap on a negative one.
    @Test func nonPositiveCountsAreIgnored() {
        let metrics = VigilMetrics()
        metrics.recordsRead(3, source: "file")
        metrics.recordsRead(-2, source: "file")
        metrics.recordsRead(0, source: "sqs")
        metrics.sqsMessagesReceived(-1)
        let lines = Self.samples(metrics)
        #expect(lines.contains(#"vigil_records_read_total{source="file"} 3"#))
        #expect(!lines.contains { $0.contains(#"source="sqs""#) })
        #expect(lines.contains("vigil_sqs_messages_received_total 0"))
    }

    /// Rule names are user text: quotes, backslashes and newlines must not break the format.
    @Test func labelValuesAreEscaped() {
        let metrics = VigilMetrics()
        metrics.alertRaised(rule: "a \"quoted\\\" rule\nname", severity: "low")
        #expect(metrics.exposition().contains(#"vigil_alerts_total{rule="a \"quoted\\\" rule\nname",severity="low"} 1"#))
    }

    /// Calls from many threads at once add up exactly.
    @Test func concurrentCallsAddUp() async {
        let metrics = VigilMetrics()
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for _ in 0..<1_000 {
                        metrics.recordsRead(1, source: worker.isMultiple(of: 2) ? "file" : "s3")
                        metrics.sqsMessagesReceived(1)
                    }
                }
            }
        }
        let lines = Self.samples(metrics)
        #expect(lines.contains(#"vigil_records_read_total{source="file"} 4000"#))
        #expect(lines.contains(#"vigil_records_read_total{source="s3"} 4000"#))
        #expect(lines.contains("vigil_sqs_messages_received_total 8000"))
    }
}

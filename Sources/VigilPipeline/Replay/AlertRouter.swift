import VigilAlerts

/// Sends each alert to its rule's sinks, once: an alert id already sent in this run (the same
/// record delivered twice, as AWS may) is not sent again.
public final class AlertRouter {
    private let defaultSinks: [any AlertSink]
    private let sinksByName: [String: any AlertSink]
    /// Every sink once, for flushing.
    private let allSinks: [any AlertSink]
    private var sent = Set<String>()
    /// The first sink failure, which ends the run.
    public private(set) var failure: SinkError?

    public init(defaultSinks: [any AlertSink], namedSinks: [any AlertSink]) {
        self.defaultSinks = defaultSinks
        var byName: [String: any AlertSink] = [:]
        var all: [any AlertSink] = []
        for sink in defaultSinks + namedSinks where byName[sink.name] == nil {
            byName[sink.name] = sink
            all.append(sink)
        }
        sinksByName = byName
        allSinks = all
    }

    /// The sink names rules may target.
    public var sinkNames: Set<String> { Set(sinksByName.keys) }

    /// Sends the alert unless its id was sent before; returns whether it was sent.
    func deliver(_ alert: Alert, rule: Rule) -> Bool {
        guard sent.insert(alert.id).inserted else { return false }
        let sinks = rule.targets.map { $0.compactMap { sinksByName[$0] } } ?? defaultSinks
        for sink in sinks {
            do throws(SinkError) { try sink.send(alert) } catch { if failure == nil { failure = error } }
        }
        return true
    }

    /// Makes every alert sent so far durable.
    public func flush() {
        for sink in allSinks {
            do throws(SinkError) { try sink.flush() } catch { if failure == nil { failure = error } }
        }
    }

    /// Waits until every alert has reached its sink's destination or dead-letter file.
    public func finish() {
        for sink in allSinks {
            do throws(SinkError) { try sink.finish() } catch { if failure == nil { failure = error } }
        }
    }
}

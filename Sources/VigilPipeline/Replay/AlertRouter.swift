import VigilAlerts

/// Sends each alert to its rule's sinks, once: an alert id already sent in this run (the same
/// record delivered twice, as AWS may) is not sent again.
public final class AlertRouter {
    private let defaultSinks: [any AlertSink]
    private let sinksByName: [String: any AlertSink]
    private var sent = Set<[UInt8]>()
    /// The first sink failure, which ends the run.
    public private(set) var failure: SinkError?

    public init(defaultSinks: [any AlertSink], namedSinks: [any AlertSink]) {
        self.defaultSinks = defaultSinks
        var byName: [String: any AlertSink] = [:]
        for sink in defaultSinks + namedSinks { byName[sink.name] = sink }
        sinksByName = byName
    }

    /// The sink names rules may target.
    public var sinkNames: Set<String> { Set(sinksByName.keys) }

    /// Sends the alert unless its id was sent before; returns whether it was sent.
    func deliver(id: [UInt8], line: [UInt8], rule: Rule) -> Bool {
        guard sent.insert(id).inserted else { return false }
        let sinks = rule.targets.map { $0.compactMap { sinksByName[$0] } } ?? defaultSinks
        for sink in sinks {
            do throws(SinkError) { try sink.send(line) } catch { if failure == nil { failure = error } }
        }
        return true
    }

    /// Makes every alert sent so far durable.
    public func flush() {
        for sink in Set(sinksByName.values.map(ObjectIdentifier.init)).compactMap({ id in sinksByName.values.first { ObjectIdentifier($0) == id } }) {
            do throws(SinkError) { try sink.flush() } catch { if failure == nil { failure = error } }
        }
    }
}

import VigilAlerts

/// Sends each alert to its rule's sinks, once: an alert id already sent in this run (the same
/// record delivered twice, as AWS may) is not sent again.
///
/// Each sink sits behind its own `SinkQueue` and thread, so a slow sink holds the run back only
/// once `queueCapacity` alerts wait for it, and the others go on meanwhile. The router itself is
/// used by one thread, the one reading the input.
public final class AlertRouter {
    private let defaultQueues: [SinkQueue]
    /// Queues that take every alert, beside its targets.
    private let observingQueues: [SinkQueue]
    private let queuesByName: [String: SinkQueue]
    /// Every sink once, in the order given, for flushing and reports.
    private let allQueues: [SinkQueue]
    private var sent: SentAlertIDs
    /// The first failure a `send`, `flush` or `finish` threw.
    private var firstFailure: SinkError?

    /// Routes to `defaultSinks` (alerts of rules without `targets`) and `namedSinks` (the other
    /// targets), each a sink behind its queue (`SinkQueue(sink, capacity:)`, which takes the sink
    /// over); a queue named like one before it is left out.
    ///
    /// `memory` bounds how many sent ids are remembered (one to two times that many, 16 bytes
    /// each), and `remembering` are ids an earlier process sent (a tail's, which also wants the
    /// ids it sends handed back, `recordsSent`).
    /// `everyAlert` queues take every alert sent, whatever its rule targets (a replay's report).
    public init(defaultSinks: [SinkQueue], namedSinks: [SinkQueue], everyAlert: [SinkQueue] = [], memory: Int = 2_000_000,
                remembering: [String] = [], recordsSent: Bool = false) {
        sent = SentAlertIDs(generationSize: memory, recordsAdded: recordsSent)
        sent.remember(remembering)
        var byName: [String: SinkQueue] = [:]
        var all: [SinkQueue] = []
        for queue in defaultSinks + namedSinks where byName[queue.name] == nil {
            byName[queue.name] = queue
            all.append(queue)
        }
        defaultQueues = defaultSinks.filter { byName[$0.name] === $0 }
        queuesByName = byName
        observingQueues = everyAlert
        allQueues = all + everyAlert
    }

    /// The sink names rules may target.
    public var sinkNames: Set<String> { Set(queuesByName.keys) }

    /// The first sink failure, which ends the run: one a call here threw, or one a sink's thread
    /// has met since.
    public var failure: SinkError? {
        firstFailure ?? allQueues.lazy.compactMap(\.failure).first
    }

    /// What each sink that delivers on its own (webhooks) did, as of the last flush or finish.
    public var deliveryReports: [DeliveryReport] {
        allQueues.compactMap(\.deliveryReport)
    }

    /// The checkpoint of each sink that has one (files), as of the last flush: where a restart
    /// after a crash starts looking for alerts it already wrote.
    public var checkpoints: [SinkCheckpoint] {
        allQueues.compactMap(\.checkpoint)
    }

    /// The ids sent since the last call, when the router bounds its memory (a tail saves them
    /// with its progress, so that a restart does not send them again).
    public func takeNewlySent() -> [String] {
        sent.takeAdded()
    }

    /// Sends the alert unless its id was sent before; returns whether it was sent. Waits only
    /// while a target's queue is full.
    func deliver(_ alert: Alert, rule: Rule) -> Bool {
        deliver(alert, to: queues(for: rule))
    }

    /// The queues an alert of `rule` goes to: its targets' (the default sinks when it names none),
    /// then those that take every alert. The same for every alert of the rule, so that the alert
    /// stage asks once per rule rather than building the list per alert.
    func queues(for rule: Rule) -> [SinkQueue] {
        (rule.targets.map { $0.compactMap { queuesByName[$0] } } ?? defaultQueues) + observingQueues
    }

    /// Sends the alert to `queues` (`queues(for:)` of its rule) unless its id was sent before;
    /// returns whether it was sent.
    func deliver(_ alert: Alert, to queues: [SinkQueue]) -> Bool {
        guard sent.insert(alert.id) else { return false }
        for queue in queues {
            do throws(SinkError) { try queue.send(alert) } catch { record(error) }
        }
        return true
    }

    /// Makes every alert sent so far durable; the sinks flush at the same time.
    public func flush() {
        let requests = allQueues.map { ($0, $0.beginFlush()) }
        for (queue, request) in requests {
            do throws(SinkError) { try queue.wait(for: request) } catch { record(error) }
        }
    }

    /// Waits until every alert has reached its sink's destination or dead-letter file; the sinks
    /// finish at the same time.
    public func finish() {
        let requests = allQueues.map { ($0, $0.beginFinish()) }
        for (queue, request) in requests {
            do throws(SinkError) { try queue.wait(for: request) } catch { record(error) }
        }
    }

    private func record(_ error: SinkError) {
        if firstFailure == nil { firstFailure = error }
    }
}

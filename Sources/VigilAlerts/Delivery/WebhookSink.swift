import Foundation

/// Delivers alerts to a webhook without losing any: POSTs each alert's body, signed as Standard
/// Webhooks specifies, from a durable spool, retrying as EventBridge does, and writes what still
/// fails to the dead-letter file.
///
/// * `send` buffers; `flush` commits the buffer to the spool in one transaction. From then on the
///   alert survives a crash: the next sink of the same name on the same state directory delivers
///   it. An alert already pending, or delivered within the retention, is not spooled again.
/// * Background workers (as many as `configuration.concurrency`) POST due rows. A 2xx deletes the
///   row and remembers the alert as delivered; a timeout, connection error, 429 or 5xx schedules a
///   retry; any other answer, or retries exhausted, appends a dead letter and then deletes the row.
/// * `finish` waits until no row of this sink is left in the spool.
///
/// Like every sink, it is driven from one thread at a time; its workers share only Sendable state.
public final class WebhookSink: AlertSink {
    public let name: String
    public let configuration: WebhookConfiguration
    /// The spool this sink takes its rows from.
    public let spool: DeliverySpool
    /// `<state dir>/dead-letters.jsonl`.
    public let deadLetters: DeadLetterFile
    private let workers: DeliveryWorkers
    private var buffer: [PendingDelivery] = []
    /// A large replay commits as it goes rather than holding every alert until the next flush.
    private let bufferLimit = 1_000
    /// When delivered ids older than the retention were last forgotten; a long tail prunes
    /// hourly so the table does not grow without bound.
    private var lastPrune = Date()

    /// A sink named `name` (the name rules target, and the key of its rows in the spool) with
    /// its state in `state`. Reads the signing secret from `environment` now, forgets delivered
    /// ids older than the retention, and starts delivering rows an earlier process left behind.
    public init(name: String, configuration: WebhookConfiguration, state: StateDatabase,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(SinkError) {
        self.name = name
        self.configuration = configuration
        let signer: WebhookSigner?
        do {
            signer = try configuration.secretEnvironmentVariable.map { variable throws(WebhookConfigurationError) in
                try WebhookSigner.fromEnvironment(variable: variable, environment: environment)
            }
        } catch {
            throw SinkError(sink: name, reason: error.description)
        }
        do {
            spool = try DeliverySpool(database: state)
        } catch {
            throw SinkError(sink: name, reason: error.description)
        }
        deadLetters = DeadLetterFile(stateDirectory: state.directory)
        workers = DeliveryWorkers(sink: name, spool: spool, deadLetters: deadLetters,
                                  client: WebhookClient(configuration: configuration, signer: signer),
                                  policy: configuration.retryPolicy, timeout: configuration.timeout)
        try pruneDelivered()
        workers.start(count: configuration.concurrency)
    }

    /// Spools what was sent but not flushed, then stops the workers once their requests in flight
    /// end. Rows still pending stay in the spool for the next process.
    deinit {
        try? flush()
        workers.stop()
    }

    public func send(_ alert: Alert) throws(SinkError) {
        buffer.append(PendingDelivery(sink: name, alert: alert))
        if buffer.count >= bufferLimit { try flush() }
    }

    public func flush() throws(SinkError) {
        guard !buffer.isEmpty else { return }
        let added: Int
        do {
            added = try spool.enqueue(buffer)
        } catch {
            throw SinkError(sink: name, reason: error.description)
        }
        workers.countAlreadyTaken(buffer.count - added)
        buffer.removeAll(keepingCapacity: true)
        workers.wake()
        if Date().timeIntervalSince(lastPrune) > 60 * 60 { try pruneDelivered() }
    }

    public func finish() throws(SinkError) {
        try flush()
        try workers.waitUntilDrained()
    }

    private func pruneDelivered() throws(SinkError) {
        lastPrune = Date()
        do {
            try spool.pruneDelivered(before: lastPrune.addingTimeInterval(-configuration.deliveredRetention))
        } catch {
            throw SinkError(sink: name, reason: error.description)
        }
    }

    /// What the sink has done so far.
    public var statistics: WebhookDeliveryStatistics {
        workers.statistics
    }

    /// Moves this sink's dead letters back into the spool, for its workers to send again.
    @discardableResult
    public func redriveDeadLetters() throws(SinkError) -> DeadLetterRedrive.Summary {
        let summary: DeadLetterRedrive.Summary
        do {
            summary = try DeadLetterRedrive.redrive(sinks: [name], from: deadLetters, into: spool)
        } catch {
            throw SinkError(sink: name, reason: error.description)
        }
        workers.wake()
        return summary
    }
}

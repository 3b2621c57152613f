import Dispatch
import Synchronization
import VigilAlerts

/// Alert ids and calls a test sink saw, readable from the test's thread.
final class DeliveryLog: Sendable {
    private let entries = Mutex<[String]>([])

    func append(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
    var alertIDs: [String] { all.filter { !$0.hasPrefix("#") } }
}

/// A sink that records alerts, and can hold every `send` at a gate to play a slow sink.
final class GatedSink: AlertSink {
    let name: String
    private let log: DeliveryLog
    private let gate: DispatchSemaphore?

    init(name: String, log: DeliveryLog, gate: DispatchSemaphore? = nil) {
        self.name = name
        self.log = log
        self.gate = gate
    }

    func send(_ alert: Alert) throws(SinkError) {
        if let gate {
            gate.wait()
            gate.signal()  // stays open once opened
        }
        log.append(alert.id)
    }

    func flush() throws(SinkError) { log.append("#flush") }
    func finish() throws(SinkError) { log.append("#finish") }
}

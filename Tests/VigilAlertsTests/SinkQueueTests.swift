import Foundation
import Synchronization
import Testing
import VigilAlerts
import VigilTestSupport

/// What a test sink was given, readable from the test's thread while the sink lives on its own.
final class SinkLog: Sendable {
    private let entries = Mutex<[String]>([])

    func append(_ entry: String) {
        entries.withLock { $0.append(entry) }
    }

    var all: [String] { entries.withLock { $0 } }
    var alertIDs: [String] { all.filter { !$0.hasPrefix("#") } }
}

/// A sink that records what it is given and can be held at a gate, to play a slow sink.
final class RecordingSink: AlertSink {
    let name: String
    private let log: SinkLog
    /// Each `send` waits until the gate opens.
    private let gate: DispatchSemaphore?
    /// `send` of this alert number (from 1) fails.
    private let failingAt: Int?
    private var sent = 0

    init(name: String, log: SinkLog, gate: DispatchSemaphore? = nil, failingAt: Int? = nil) {
        self.name = name
        self.log = log
        self.gate = gate
        self.failingAt = failingAt
    }

    deinit {
        log.append("#released")
    }

    func send(_ alert: Alert) throws(SinkError) {
        if let gate {
            gate.wait()
            gate.signal()  // stays open once opened
        }
        sent += 1
        if sent == failingAt { throw SinkError(sink: name, reason: "disk full") }
        log.append(alert.id)
    }

    func flush() throws(SinkError) { log.append("#flush") }

    func finish() throws(SinkError) { log.append("#finish") }
}

@Suite struct SinkQueueTests {
    @Test func aSlowSinkDoesNotHoldUpAnotherAndLosesNothing() throws {
        let alerts = (0..<300).map { DeliveryFixtures.alert($0) }
        let slowLog = SinkLog()
        let fastLog = SinkLog()
        let gate = DispatchSemaphore(value: 0)
        let slow = SinkQueue(RecordingSink(name: "slow", log: slowLog, gate: gate), capacity: 1_000)
        let fast = SinkQueue(RecordingSink(name: "fast", log: fastLog), capacity: 1_000)
        for alert in alerts {
            try slow.send(alert)
            try fast.send(alert)
        }
        try fast.flush()
        #expect(fastLog.alertIDs == alerts.map(\.id), "every alert reached the fast sink")
        #expect(slowLog.all.isEmpty, "while the slow one has taken none")
        gate.signal()
        try slow.finish()
        #expect(slowLog.alertIDs == alerts.map(\.id), "then the slow one took every alert, in order")
        #expect(slowLog.all.last == "#finish")
    }

    @Test func sendWaitsOnlyWhenTheQueueIsFull() throws {
        let log = SinkLog()
        let gate = DispatchSemaphore(value: 0)
        let queue = SinkQueue(RecordingSink(name: "slow", log: log, gate: gate), capacity: 10)
        let sentCount = Atomic<Int>(0)
        let done = DispatchSemaphore(value: 0)
        let alerts = (0..<50).map { DeliveryFixtures.alert($0) }
        Thread {
            for alert in alerts {
                try? queue.send(alert)
                sentCount.add(1, ordering: .sequentiallyConsistent)
            }
            done.signal()
        }.start()
        // The sink holds one batch (at most 10 alerts, all it is allowed) at its gate; the sender
        // fills the queue to its capacity and then waits.
        #expect(Polling.eventually { sentCount.load(ordering: .sequentiallyConsistent) == 10 })
        usleep(100_000)
        #expect(sentCount.load(ordering: .sequentiallyConsistent) == 10, "no alert beyond the capacity was taken")
        gate.signal()
        #expect(done.wait(timeout: .now() + 10) == .success)
        try queue.finish()
        #expect(log.alertIDs == alerts.map(\.id))
    }

    @Test func aSinkErrorIsKeptReportedAndStopsTheSink() throws {
        let log = SinkLog()
        let queue = SinkQueue(RecordingSink(name: "disk", log: log, failingAt: 3), capacity: 100)
        for index in 0..<5 { try queue.send(DeliveryFixtures.alert(index)) }
        #expect(throws: SinkError.self) { try queue.flush() }
        #expect(queue.failure?.description == "sink disk: disk full")
        #expect(throws: SinkError.self) { try queue.send(DeliveryFixtures.alert(9)) }
        #expect(log.alertIDs == [0, 1].map { DeliveryFixtures.alert($0).id })
        #expect(queue.abandonedAlerts == 2, "the alerts behind the failure were not given to the sink, and counted")
        #expect(!log.all.contains("#flush"), "a failed sink is not asked to flush")
    }

    @Test func droppingTheQueueDeliversWhatIsQueuedAndReleasesTheSinkOnItsThread() throws {
        let log = SinkLog()
        let gate = DispatchSemaphore(value: 0)
        do {
            let queue = SinkQueue(RecordingSink(name: "slow", log: log, gate: gate), capacity: 100)
            for index in 0..<20 { try queue.send(DeliveryFixtures.alert(index)) }
            gate.signal()
        }
        #expect(log.alertIDs.count == 20)
        #expect(log.all.last == "#released")
    }
}

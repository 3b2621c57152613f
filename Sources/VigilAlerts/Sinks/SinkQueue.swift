import Foundation

/// One sink behind a bounded queue, driven by a thread of its own, so that one slow sink (a
/// webhook spooling to disk, a file on a slow volume) does not stall the others: the reader only
/// waits for a sink when that sink's queue is full.
///
/// * `send` queues the alert and returns at once, unless `capacity` alerts are already queued for
///   this sink; then it waits for room. Nothing is dropped to make room.
/// * `flush` and `finish` wait until the sink has taken every alert queued before them, then call
///   the sink's own `flush` or `finish` on its thread and return what it threw.
/// * The first error of the sink is kept: `send`, `flush` and `finish` throw it from then on, and
///   the alerts still queued behind it are not given to the sink (`abandonedAlerts` counts them).
///   The run ends with that error, and a checkpoint never moves past alerts a flush did not
///   confirm, so none of them is lost unnoticed.
///
/// Sinks are not `Sendable`: they keep buffers and descriptors without locks. The queue takes the
/// sink over (`sending`: the caller cannot touch it afterwards) and hands it to its thread, which
/// from then on is the only code that touches it — `send`, `flush`, `finish`, its delivery report
/// and finally its `deinit` all run there. So the sink is never used from two threads at once,
/// which is all `AlertSink` asks; the `@unchecked Sendable` box that carries it into the thread
/// is safe for exactly that reason. What the caller reads afterwards (failures, the report) is
/// copied out as `Sendable` values under the queue's lock.
public final class SinkQueue: Sendable {
    /// The sink's name.
    public let name: String
    /// Alerts queued at most before `send` waits.
    public let capacity: Int
    private let channel: Channel
    /// Signalled when the thread has ended and released the sink.
    private let stopped = DispatchSemaphore(value: 0)

    /// Starts the thread that drives `sink`. `capacity` is at least 1.
    public init(_ sink: sending any AlertSink, capacity: Int) {
        precondition(capacity >= 1, "a sink queue holds at least one alert")
        name = sink.name
        self.capacity = capacity
        let channel = Channel()
        self.channel = channel
        let handOff = SinkHandOff(sink: sink)
        let stopped = stopped
        let thread = Thread {
            if let sink = handOff.take() { Self.drive(sink, through: channel) }
            stopped.signal()
        }
        thread.name = "vigil sink \(name)"
        thread.start()
    }

    /// Lets the thread give the sink what is still queued, then waits for it to end; the sink is
    /// released on its thread (a file sink then syncs, a webhook sink spools its buffer).
    deinit {
        channel.close()
        stopped.wait()
    }

    /// Queues `alert`, waiting while the queue is full; throws the sink's first error.
    public func send(_ alert: Alert) throws(SinkError) {
        try channel.enqueue(alert, capacity: capacity)
    }

    /// Returns once the sink has taken every alert sent before and its `flush` has returned.
    public func flush() throws(SinkError) {
        try wait(for: beginFlush())
    }

    /// Returns once the sink has taken every alert sent before and its `finish` has returned.
    public func finish() throws(SinkError) {
        try wait(for: beginFinish())
    }

    /// A flush or finish asked for and not yet waited for, so that a router can ask every sink
    /// first and then wait for all, rather than one sink after the other.
    public struct Request: Sendable {
        fileprivate let number: UInt64
    }

    /// Asks for a flush after the alerts queued so far, without waiting for it.
    public func beginFlush() -> Request {
        Request(number: channel.enqueueMarker(finishing: false))
    }

    /// Asks for a finish after the alerts queued so far, without waiting for it.
    public func beginFinish() -> Request {
        Request(number: channel.enqueueMarker(finishing: true))
    }

    /// Waits until `request` is done; throws the sink's first error, if it has had one.
    public func wait(for request: Request) throws(SinkError) {
        try channel.waitUntilDone(request.number)
    }

    /// The sink's first error, if it has had one.
    public var failure: SinkError? {
        channel.locked { $0.failure }
    }

    /// The sink's delivery report as of its last flush or finish; nil for sinks without one.
    public var deliveryReport: DeliveryReport? {
        channel.locked { $0.report }
    }

    /// The sink's checkpoint as of its last completed flush or finish; nil for sinks without one
    /// and before the first flush. Read it after `flush` (or `wait(for:)`) returns, to save it.
    public var checkpoint: SinkCheckpoint? {
        channel.locked { $0.checkpoint }
    }

    /// Alerts queued after the sink failed, which it was not given.
    public var abandonedAlerts: Int {
        channel.locked { $0.abandoned }
    }

    /// The thread's loop: takes batches and gives them to the sink until closed and drained.
    private static func drive(_ sink: any AlertSink, through channel: Channel) {
        var failed = false
        while let batch = channel.takeBatch() {
            var outcome = Channel.BatchOutcome()
            for entry in batch {
                switch entry {
                case .alert(let alert):
                    outcome.alerts += 1
                    if failed {
                        outcome.abandoned += 1
                        continue
                    }
                    do throws(SinkError) { try sink.send(alert) } catch {
                        failed = true
                        outcome.failure = error
                    }
                case .marker(let number, let finishing):
                    if !failed {
                        do throws(SinkError) { try finishing ? sink.finish() : sink.flush() } catch {
                            failed = true
                            outcome.failure = error
                        }
                    }
                    outcome.completedMarker = number
                    outcome.report = sink.deliveryReport
                    outcome.checkpoint = sink.checkpoint
                }
            }
            channel.batchDone(outcome)
        }
    }
}

/// Carries a sink into its queue's thread (see `SinkQueue` for why that is safe); `take` hands it
/// out once, so no reference stays behind in the box.
private final class SinkHandOff: @unchecked Sendable {
    // @unchecked: `sink` is set before the thread starts and read (once) only by that thread.
    private var sink: (any AlertSink)?

    init(sink: any AlertSink) {
        self.sink = sink
    }

    func take() -> (any AlertSink)? {
        defer { sink = nil }
        return sink
    }
}

/// The state a queue shares with its thread: the queued entries, and what the thread reports back.
private final class Channel: @unchecked Sendable {
    // @unchecked: every stored property but `condition` is read and written only with
    // `condition` locked (through `locked`, or between lock() and unlock() below).

    enum Entry: Sendable {
        case alert(Alert)
        /// A flush (or finish) asked for, numbered in the order asked.
        case marker(UInt64, finishing: Bool)
    }

    /// What the thread did with one batch.
    struct BatchOutcome {
        var alerts = 0
        var abandoned = 0
        var failure: SinkError?
        var completedMarker: UInt64?
        var report: DeliveryReport?
        var checkpoint: SinkCheckpoint?
    }

    /// The fields read from outside, as a value.
    struct Snapshot {
        var failure: SinkError?
        var report: DeliveryReport?
        var checkpoint: SinkCheckpoint?
        var abandoned: Int
    }

    private let condition = NSCondition()
    /// Entries from `head` on are still to be taken; the array is compacted as the head moves on,
    /// so taking is O(1) amortized without a deque type.
    private var entries: [Entry] = []
    private var head = 0
    /// Alerts queued or in the batch the thread is working on: what `capacity` bounds.
    private var queuedAlerts = 0
    private var lastMarker: UInt64 = 0
    private var completedMarker: UInt64 = 0
    private var failure: SinkError?
    private var report: DeliveryReport?
    private var checkpoint: SinkCheckpoint?
    private var abandoned = 0
    private var closing = false
    /// The sink's thread is waiting for a first entry: an alert must wake it.
    private var takerIsIdle = false
    /// The sink's thread is giving the producer a moment to add more alerts to its batch: only
    /// a full batch (or a marker, or closing) needs to wake it early.
    private var takerIsGathering = false
    /// Batches stay small so that capacity frees up as the sink works, not only after long runs.
    private let batchLimit = 256

    func locked<Value>(_ read: (Snapshot) -> Value) -> Value {
        condition.lock()
        defer { condition.unlock() }
        return read(Snapshot(failure: failure, report: report, checkpoint: checkpoint, abandoned: abandoned))
    }

    func enqueue(_ alert: Alert, capacity: Int) throws(SinkError) {
        condition.lock()
        defer { condition.unlock() }
        while queuedAlerts >= capacity && failure == nil {
            condition.wait()
        }
        if let failure { throw failure }
        entries.append(.alert(alert))
        queuedAlerts += 1
        // Waking the thread for every alert would cost a system call and a context switch each.
        if takerIsIdle || (takerIsGathering && entries.count - head >= batchLimit) {
            condition.broadcast()
        }
    }

    func enqueueMarker(finishing: Bool) -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        lastMarker += 1
        entries.append(.marker(lastMarker, finishing: finishing))
        condition.broadcast()
        return lastMarker
    }

    func waitUntilDone(_ marker: UInt64) throws(SinkError) {
        condition.lock()
        defer { condition.unlock() }
        while completedMarker < marker {
            condition.wait()
        }
        if let failure { throw failure }
    }

    func close() {
        condition.lock()
        closing = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next entries: up to `batchLimit` alerts, or one marker alone (so that a flush waits
    /// for no alert queued after it). Nil once closed and drained.
    func takeBatch() -> [Entry]? {
        condition.lock()
        defer { condition.unlock() }
        while head == entries.count && !closing {
            takerIsIdle = true
            condition.wait()
            takerIsIdle = false
        }
        guard head < entries.count else { return nil }
        if entries.count - head < batchLimit && !closing, case .alert = entries[entries.count - 1] {
            // Woken by a first alert: give the producer a moment to add more, so that a burst
            // of alerts is taken in a few batches rather than one wake-up (and context switch)
            // per alert. A millisecond is nothing next to a sink's write and sync. Not when a
            // flush or finish is the last entry: whoever asked for it is waiting.
            takerIsGathering = true
            _ = condition.wait(until: Date(timeIntervalSinceNow: 0.001))
            takerIsGathering = false
        }
        var end = head
        if case .marker = entries[head] {
            end += 1
        } else {
            while end < entries.count && end - head < batchLimit, case .alert = entries[end] { end += 1 }
        }
        let batch = Array(entries[head..<end])
        head = end
        if head == entries.count {
            entries.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 4_096 && head * 2 >= entries.count {
            entries.removeFirst(head)
            head = 0
        }
        return batch
    }

    func batchDone(_ outcome: BatchOutcome) {
        condition.lock()
        defer { condition.unlock() }
        queuedAlerts -= outcome.alerts
        abandoned += outcome.abandoned
        if failure == nil, let newFailure = outcome.failure { failure = newFailure }
        if let marker = outcome.completedMarker { completedMarker = marker }
        if let newReport = outcome.report { report = newReport }
        if let newCheckpoint = outcome.checkpoint { checkpoint = newCheckpoint }
        condition.broadcast()
    }
}

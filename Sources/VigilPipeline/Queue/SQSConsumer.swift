import Foundation
import Synchronization
import VigilAWS

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Receives messages from one SQS queue for the tail and keeps them hidden from the other
/// consumers until the tail is done with them.
///
/// Two threads of its own: a receiver that long-polls (up to 10 messages, 20 s waits) whenever
/// every message it handed out has been taken, and a heartbeat that extends the visibility of each
/// message still held when half of its visibility timeout has passed, so that a large object
/// being read is not handed to a second consumer meanwhile. The tail takes messages with
/// `takeReady()` (woken through `wakeDescriptor`) and ends each with `delete` (its objects'
/// alerts are with the sinks) or `release` (it failed: the queue hands it out again after the
/// visibility timeout, and its redrive policy ends a message that keeps failing).
///
/// Nothing here is durable, and nothing needs to be: a consumer that dies holds its messages only
/// until their visibility timeout runs out, and another consumer then receives them.
public final class SQSConsumer: Sendable {
    private struct Held {
        var message: SQSMessage
        /// Monotonic time of the receive or the last extension.
        var extendedAt: Double
    }

    private struct State {
        var ready: [SQSMessage] = []
        var held: [String: Held] = [:]
        var isStopped = false
        /// No receiving while the tail cannot process (its session is failing).
        var isPaused = false
        var lastReceiveError: String?
    }

    public let queue: SQSClient
    private let state = Mutex(State())
    private let receiveNeeded = DispatchSemaphore(value: 0)
    private let maximumMessages: Int
    private let waitSeconds: Int
    /// The queue's visibility timeout, read at start.
    private let visibility = Atomic<Int>(30)
    private let notice: @Sendable (String) -> Void
    private let events: (@Sendable (SQSConsumerEvent) -> Void)?
    /// Readable when messages are ready: the tail's loop waits on it beside inotify.
    public let wakeDescriptor: Int32
    private let wakeWriteEnd: Int32
    private let receiverDone = DispatchSemaphore(value: 0)

    /// - Parameter onNotice: lines for stderr (errors of receiving, extending, deleting).
    /// - Parameter onEvent: told of every receive, extension, deletion and failure (metrics).
    public init(queue: SQSClient, maximumMessages: Int = 10, waitSeconds: Int = 20,
                onNotice: @escaping @Sendable (String) -> Void, onEvent: (@Sendable (SQSConsumerEvent) -> Void)? = nil) {
        self.queue = queue
        self.maximumMessages = maximumMessages
        self.waitSeconds = waitSeconds
        notice = onNotice
        events = onEvent
        var pipeEnds: [Int32] = [-1, -1]
        _ = pipe(&pipeEnds)
        for descriptor in pipeEnds {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            _ = fcntl(descriptor, F_SETFL, O_NONBLOCK)
        }
        wakeDescriptor = pipeEnds[0]
        wakeWriteEnd = pipeEnds[1]
    }

    deinit {
        close(wakeDescriptor)
        close(wakeWriteEnd)
    }

    /// Reads the queue's visibility timeout (failing here means the queue cannot be used: a wrong
    /// URL, no permission) and starts receiving.
    public func start() throws(AWSServiceError) {
        visibility.store(max(try queue.visibilityTimeout(), 2), ordering: .relaxed)
        let receiver = Thread { [self] in receive() }
        receiver.name = "vigil sqs receiver"
        receiver.start()
        let heartbeat = Thread { [self] in beat() }
        heartbeat.name = "vigil sqs heartbeat"
        heartbeat.start()
        receiveNeeded.signal()
    }

    /// The queue's visibility timeout in seconds.
    public var visibilityTimeout: Int { visibility.load(ordering: .relaxed) }

    /// Messages received and not yet taken; each stays held (hidden, its visibility extended)
    /// until `delete` or `release`.
    public func takeReady() -> [SQSMessage] {
        var drained: [UInt8] = Array(repeating: 0, count: 64)
        while read(wakeDescriptor, &drained, drained.count) > 0 {}
        return state.withLock { state in
            defer { state.ready.removeAll() }
            return state.ready
        }
    }

    /// Messages received and not yet deleted or released.
    public var inFlight: Int { state.withLock { $0.held.count } }

    /// Seconds since the oldest message held was first sent (0 when none is held): how far the
    /// fleet's reading lags behind the bucket, as far as this instance can see.
    public func lag(now: Double = Date().timeIntervalSince1970) -> Double {
        let oldest = state.withLock { $0.held.values.compactMap(\.message.sentAt).min() }
        return oldest.map { max(0, now - $0) } ?? 0
    }

    /// The message's work is done: deletes it from the queue.
    public func delete(_ message: SQSMessage) throws(AWSServiceError) {
        let current = finish(message)
        try queue.deleteMessage(current)
        events?(.deleted)
    }

    /// The message could not be processed now: it is no longer extended, and the queue hands it
    /// out again when its visibility timeout runs out.
    public func release(_ message: SQSMessage) {
        _ = finish(message)
        events?(.failed)
    }

    /// Stops receiving while the tail cannot process messages, and returns those received and not
    /// taken to the queue at once, for another instance; `false` receives again.
    public func setPaused(_ paused: Bool) {
        let untaken = state.withLock { state -> [SQSMessage] in
            state.isPaused = paused
            guard paused else { return [] }
            let untaken = state.ready
            for message in untaken { state.held[message.messageID] = nil }
            state.ready.removeAll()
            return untaken
        }
        for message in untaken { try? queue.changeVisibility(of: message, seconds: 0) }
        if !paused { receiveNeeded.signal() }
    }

    /// Makes `message` visible again at once, for another consumer (this one is stopping).
    public func returnToQueue(_ message: SQSMessage) {
        let current = finish(message)
        try? queue.changeVisibility(of: current, seconds: 0)
    }

    /// Stops receiving. Messages received but not taken are made visible again at once, for
    /// another consumer; messages taken and not finished are left to their visibility timeout.
    public func stop() {
        let untaken = state.withLock { state -> [SQSMessage] in
            state.isStopped = true
            let untaken = state.ready
            for message in untaken { state.held[message.messageID] = nil }
            state.ready.removeAll()
            return untaken
        }
        receiveNeeded.signal()
        for message in untaken {
            try? queue.changeVisibility(of: message, seconds: 0)
        }
    }

    private var isStopped: Bool { state.withLock { $0.isStopped } }

    /// Removes `message` from the held ones and returns its latest receipt.
    private func finish(_ message: SQSMessage) -> SQSMessage {
        let current = state.withLock { state in state.held.removeValue(forKey: message.messageID)?.message }
        if state.withLock({ $0.ready.isEmpty && $0.held.isEmpty }) { receiveNeeded.signal() }
        return current ?? message
    }

    // MARK: - Threads

    /// Long-polls whenever everything received before has been finished, so that one consumer
    /// does not hoard messages its peers could be working on.
    private func receive() {
        var backoff = 1.0
        while true {
            receiveNeeded.wait()
            while !isStopped && state.withLock({ $0.ready.isEmpty && $0.held.isEmpty && !$0.isPaused }) {
                let messages: [SQSMessage]
                do {
                    messages = try queue.receiveMessages(maximum: maximumMessages, waitSeconds: waitSeconds,
                                                         isCancelled: { [self] in isStopped })
                    backoff = 1
                    if state.withLock({ $0.lastReceiveError != nil }) {
                        state.withLock { $0.lastReceiveError = nil }
                        notice("SQS: receiving from \(queue.queueURL) works again")
                        events?(.recovered)
                    }
                } catch {
                    let isNew = state.withLock { state in
                        defer { state.lastReceiveError = error.message }
                        return state.lastReceiveError != error.message
                    }
                    if isNew { notice("SQS: \(error.message); trying again") }
                    events?(.receiveFailed(error.message))
                    Thread.sleep(forTimeInterval: backoff)
                    backoff = min(backoff * 2, 30)
                    continue
                }
                guard !messages.isEmpty else { continue }
                let now = MonotonicClock.now()
                let stopped = state.withLock { state -> Bool in
                    guard !state.isStopped else { return true }
                    for message in messages {
                        state.held[message.messageID] = Held(message: message, extendedAt: now)
                        state.ready.append(message)
                    }
                    return false
                }
                if stopped {
                    for message in messages { try? queue.changeVisibility(of: message, seconds: 0) }
                    return
                }
                events?(.received(messages.count))
                var byte: UInt8 = 1
                _ = write(wakeWriteEnd, &byte, 1)
            }
            if isStopped { return }
        }
    }

    /// Extends each held message's visibility when half of it has passed.
    private func beat() {
        while !isStopped {
            Thread.sleep(forTimeInterval: min(1, Double(visibilityTimeout) / 4))
            let timeout = visibilityTimeout
            let now = MonotonicClock.now()
            let due = state.withLock { state in
                state.held.values.filter { now - $0.extendedAt >= Double(timeout) / 2 }
            }
            for held in due {
                let message = held.message
                let unextended = now - held.extendedAt
                if unextended >= Double(timeout) {
                    // The process was starved (or stopped) past the whole timeout: the queue may
                    // already have handed the message to a peer. Said, because it is the one way
                    // two consumers write the same alerts.
                    notice("SQS: message \(message.messageID) went \(Int(unextended)) s without an extension, "
                        + "past the queue's visibility timeout of \(timeout) s: another consumer may read it too")
                }
                do {
                    try queue.changeVisibility(of: message, seconds: timeout)
                    state.withLock { state in state.held[message.messageID]?.extendedAt = MonotonicClock.now() }
                    events?(.extended)
                } catch {
                    // Finished meanwhile, or the receipt expired: another consumer may receive it.
                    guard state.withLock({ $0.held[message.messageID] != nil }) else { continue }
                    notice("SQS: could not extend the visibility of message \(message.messageID): \(error.message)")
                    state.withLock { state in state.held[message.messageID]?.extendedAt = MonotonicClock.now() }
                }
            }
        }
    }
}

/// What an `SQSConsumer` did, for metrics and health.
public enum SQSConsumerEvent: Sendable {
    case received(Int)
    case extended
    case deleted
    case failed
    case receiveFailed(String)
    case recovered
}

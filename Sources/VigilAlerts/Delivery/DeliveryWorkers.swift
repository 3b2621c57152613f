import Foundation
import Synchronization

/// The background half of a spooled sink: threads that take due rows from the spool, hand them
/// to the sink's transport (a webhook's POST, an AWS call, a batch of rows at a time where the
/// API takes batches), and record what came of each row, until stopped.
///
/// Every decision is written to the spool before the next row is taken, so stopping (or dying)
/// at any moment loses nothing: a row is pending, delivered, or in the dead-letter file.
final class DeliveryWorkers: Sendable {
    private let sink: String
    private let spool: DeliverySpool
    private let deadLetters: DeadLetterFile
    private let client: any DeliveryTransport
    private let policy: RetryPolicy
    /// How long a claimed row stays hidden from other workers and processes: past the request's
    /// timeout with room for the database writes after it. Matters only if this process dies
    /// mid-request, when it is how long the row waits before another process tries it.
    private let lease: TimeInterval
    /// How often idle workers look for rows that no notification announced (spooled by another
    /// process, or re-spooled by a redrive).
    private let idlePoll: TimeInterval = 1
    private let signal = WorkSignal()
    private let running = DispatchGroup()
    private let counts = Mutex(DeliveryStatistics())
    /// Deliveries claimed and not yet fully recorded: their row may be gone from the spool while
    /// their count is not yet in `counts`, so `waitUntilDrained` waits for these too.
    private let inFlight = Mutex(0)
    /// The first spool or dead-letter file failure since the last `waitUntilDrained`.
    private let storageFailure = Mutex<String?>(nil)

    init(sink: String, spool: DeliverySpool, deadLetters: DeadLetterFile, client: any DeliveryTransport,
         policy: RetryPolicy) {
        self.sink = sink
        self.spool = spool
        self.deadLetters = deadLetters
        self.client = client
        self.policy = policy
        self.lease = 2 * client.timeout + 10
    }

    var statistics: DeliveryStatistics {
        counts.withLock { $0 }
    }

    func countAlreadyTaken(_ count: Int) {
        counts.withLock { $0.alreadyTaken += count }
    }

    /// Starts `count` worker threads.
    func start(count: Int) {
        for index in 0..<count {
            running.enter()
            let thread = Thread { [self] in
                work()
                running.leave()
            }
            thread.name = "vigil delivery \(sink) #\(index + 1)"
            thread.start()
        }
    }

    /// Tells idle workers that rows may be due.
    func wake() {
        signal.notify()
    }

    /// Stops the workers once their requests in flight are answered or time out, and ends the
    /// HTTP session. Rows still in the spool stay there for the next process.
    func stop() {
        signal.stop()
        running.wait()
        client.invalidate()
    }

    /// Returns once the spool holds no row of this sink; throws if the spool or the dead-letter
    /// file failed meanwhile (the rows then wait for a later run).
    func waitUntilDrained() throws(SinkError) {
        while true {
            let generation = signal.currentGeneration
            if let failure = storageFailure.withLock({ failure in defer { failure = nil }; return failure }) {
                throw SinkError(sink: sink, reason: failure)
            }
            let pending: Int
            do {
                pending = try spool.pendingCount(sink: sink)
            } catch {
                throw SinkError(sink: sink, reason: error.description)
            }
            if pending == 0 && inFlight.withLock({ $0 }) == 0 { return }
            signal.wait(until: Date().addingTimeInterval(idlePoll), unlessNotifiedSince: generation)
        }
    }

    private func work() {
        while !signal.isStopping {
            let generation = signal.currentGeneration
            let now = Date()
            let claimed: [SpooledDelivery]
            do {
                claimed = try spool.claimDue(sink: sink, now: now, lease: lease, limit: client.batchLimit)
            } catch {
                recordFailure(error.description)
                signal.wait(until: now.addingTimeInterval(idlePoll), unlessNotifiedSince: generation)
                continue
            }
            guard !claimed.isEmpty else {
                var wakeAt = now.addingTimeInterval(idlePoll)
                if let due = try? spool.nextAttemptTime(sink: sink) { wakeAt = min(wakeAt, due) }
                signal.wait(until: wakeAt, unlessNotifiedSince: generation)
                continue
            }
            inFlight.withLock { $0 += claimed.count }
            deliver(claimed)
            inFlight.withLock { $0 -= claimed.count }
            signal.notify()
        }
    }

    /// Sends the rows of a claim that are not too old in one call, and records each one's outcome.
    private func deliver(_ batch: [SpooledDelivery]) {
        let started = Date()
        var current: [SpooledDelivery] = []
        for delivery in batch {
            guard started > policy.expiry(enqueuedAt: delivery.enqueuedAt) else {
                current.append(delivery)
                continue
            }
            // Found too old to try, e.g. after Vigil was stopped for longer than the maximum age.
            let attemptsMade = delivery.attempts - 1
            let lastError = delivery.lastError.map { " The last attempt failed with \($0)" } ?? ""
            do throws(SinkError) {
                try deadLetter(delivery, code: "EVENT_EXPIRED",
                               message: "The alert was still undelivered after the maximum event age of \(Int(policy.maximumEventAge)) s.\(lastError)",
                               exhausted: .maximumEventAge, retries: max(0, attemptsMade - 1), at: started)
            } catch {
                recordFailure(error.reason)
            }
        }
        guard !current.isEmpty else { return }
        var outcomes = client.deliver(current, now: started)
        if outcomes.count != current.count {
            // A transport that lost count cannot say which alert went where: all are tried again.
            outcomes = Array(repeating: .serviceError(code: "INCOMPLETE_ANSWER", retryable: true,
                                                      message: "The transport did not say what became of every alert."),
                             count: current.count)
        }
        let finished = Date()
        for (delivery, outcome) in zip(current, outcomes) {
            do throws(SinkError) {
                try record(outcome, of: delivery, at: finished)
            } catch {
                recordFailure(error.reason)
            }
        }
    }

    private func record(_ outcome: DeliveryOutcome, of delivery: SpooledDelivery, at finished: Date) throws(SinkError) {
        var random = SystemRandomNumberGenerator()
        switch policy.decide(after: outcome, attempts: delivery.attempts, enqueuedAt: delivery.enqueuedAt,
                             now: finished, using: &random) {
        case .delivered:
            try storing { () throws(StateError) in
                try spool.markDelivered(sink: sink, alertID: delivery.alertID, at: finished)
            }
            counts.withLock { $0.delivered += 1 }
        case .retry(let time):
            try storing { () throws(StateError) in
                try spool.scheduleRetry(sink: sink, alertID: delivery.alertID, at: time,
                                        lastError: "\(outcome.errorCode ?? ""): \(outcome.errorMessage)")
            }
            counts.withLock { $0.retried += 1 }
        case .deadLetter(let exhausted):
            try deadLetter(delivery, code: outcome.errorCode ?? "", message: outcome.errorMessage,
                           exhausted: exhausted, retries: delivery.attempts - 1, at: finished)
        }
    }

    /// Appends the dead letter (synced) and only then removes the row.
    private func deadLetter(_ delivery: SpooledDelivery, code: String, message: String,
                            exhausted: ExhaustedRetryCondition?, retries: Int, at time: Date) throws(SinkError) {
        let letter = DeadLetter(alertID: delivery.alertID, rule: delivery.rule, sink: sink, errorCode: code,
                                errorMessage: message, exhaustedRetryCondition: exhausted, retryAttempts: retries,
                                failedAt: time, contentType: delivery.contentType, body: delivery.body,
                                severity: delivery.severity)
        do {
            try deadLetters.append(letter)
        } catch {
            throw SinkError(sink: sink, reason: error.description)
        }
        try storing { () throws(StateError) in try spool.remove(sink: sink, alertID: delivery.alertID) }
        counts.withLock { $0.deadLettered += 1 }
    }

    private func storing(_ body: () throws(StateError) -> Void) throws(SinkError) {
        do {
            try body()
        } catch {
            throw SinkError(sink: sink, reason: error.description)
        }
    }

    private func recordFailure(_ reason: String) {
        storageFailure.withLock { failure in
            if failure == nil { failure = reason }
        }
    }
}

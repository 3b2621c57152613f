import Foundation
import VigilAlerts
import VigilIngest

/// One run of files' results on their way from the thread reading them to the thread that
/// alerts: the matches in batches, in file and record order, then the outcome.
///
/// Bounded: a reader that gets `capacity` batches ahead of the alerting thread waits. The
/// alerting thread takes files in order, and a file is only started once a slot is free, so the
/// file it waits for always has a reader that can go on: no deadlock, and memory stays bounded
/// by slots × capacity × batch size, whatever the input.
final class FileResults: @unchecked Sendable {
    // @unchecked: every stored property is read and written with `condition` locked.
    private let condition = NSCondition()
    private var batches: [[FoundEvent]] = []
    private var outcome: InputOutcome?
    private var abandoned = false
    private let capacity: Int

    init(capacity: Int = 8) {
        self.capacity = capacity
    }

    /// Adds a batch, waiting while `capacity` batches wait to be taken.
    func push(_ batch: [FoundEvent]) {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && !abandoned { condition.wait() }
        if abandoned { return }
        batches.append(batch)
        condition.broadcast()
    }

    /// The reader is done with the file.
    func finish(_ outcome: InputOutcome) {
        condition.lock()
        defer { condition.unlock() }
        self.outcome = outcome
        condition.broadcast()
    }

    /// The next batch; nil once the file is finished and every batch taken.
    func next() -> [FoundEvent]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && outcome == nil { condition.wait() }
        guard !batches.isEmpty else { return nil }
        condition.broadcast()
        return batches.removeFirst()
    }

    /// The outcome, once `next()` has returned nil.
    func takeOutcome() -> InputOutcome {
        condition.lock()
        defer { condition.unlock() }
        while outcome == nil { condition.wait() }
        return outcome!
    }

    /// Nobody will take the matches (the run stopped): pushes return at once from now on.
    func abandon() {
        condition.lock()
        defer { condition.unlock() }
        abandoned = true
        batches.removeAll()
        condition.broadcast()
    }
}

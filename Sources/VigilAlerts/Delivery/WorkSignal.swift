import Foundation

/// Wakes idle delivery workers when new rows may be due, wakes `finish()` when a worker made
/// progress, and tells everyone to stop.
///
/// Waiting is keyed on a generation number read before looking for work, so a notification that
/// arrives between "the spool has nothing due" and "wait" is not lost.
final class WorkSignal: @unchecked Sendable {
    // @unchecked: `generation` and `stopping` are read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var generation = 0
    private var stopping = false

    /// The current generation, to pass to `wait` after looking for work.
    var currentGeneration: Int {
        condition.lock()
        defer { condition.unlock() }
        return generation
    }

    var isStopping: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopping
    }

    /// Wakes every waiter.
    func notify() {
        condition.lock()
        generation &+= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Wakes every waiter for good.
    func stop() {
        condition.lock()
        stopping = true
        generation &+= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Returns at `deadline`, or at the first notification after `observed`, or at once when
    /// stopping.
    func wait(until deadline: Date, unlessNotifiedSince observed: Int) {
        condition.lock()
        defer { condition.unlock() }
        while generation == observed && !stopping {
            if !condition.wait(until: deadline) { return }
        }
    }
}

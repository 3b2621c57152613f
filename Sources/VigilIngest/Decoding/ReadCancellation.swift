import Synchronization

/// A request, from another thread, that a read in progress stop early: `vigil tail` cancels its
/// read of a large file when SIGTERM arrives, so that it can commit and exit in bounded time.
///
/// The reader looks at it each time it refills its window (every 256 KiB or so), not per record,
/// so the check costs nothing measurable. A signal handler must not call it (it may not touch
/// Swift objects); the tail's signal thread does.
public final class ReadCancellation: Sendable {
    private let cancelled = Atomic<Bool>(false)

    public init() {}

    /// Asks every read that looks at this to stop.
    public func cancel() {
        cancelled.store(true, ordering: .releasing)
    }

    public var isCancelled: Bool {
        cancelled.load(ordering: .acquiring)
    }
}

import Synchronization

/// What `/healthz` answers.
public enum HealthStatus: Sendable, Equatable {
    /// The process is making progress.
    case healthy
    /// The process cannot make progress; `reason` is one line for people.
    case unhealthy(reason: String)
}

/// Decides whether the process can make progress, for `/healthz`.
///
/// Two signals, both pushed by the caller, because only the pipeline knows whether it is stuck:
/// - Heartbeats: the main loop calls ``progress()`` each time round, *including* rounds that found
///   nothing to do. A heartbeat means "the loop is turning", not "data arrived", so an idle tail
///   stays healthy while a loop wedged on a hung request or a lock does not.
/// - Failures: a component that cannot work (a sink whose deliveries fail, a state database that
///   is not writable, AWS unreachable) calls ``failing(component:reason:)`` and, once it works
///   again, ``recovered(component:)``. Failures are kept per component so that one component's
///   recovery does not hide another's failure.
///
/// Healthy means: the last heartbeat is newer than the stall limit and no component is failing.
/// A new check counts its creation as the first heartbeat, which gives start-up one stall limit.
///
/// Time comes from a monotonic clock (`ContinuousClock`, injectable for tests), so a wall-clock
/// step from NTP or an operator can neither fail nor hide a stall.
public final class HealthCheck: Sendable {
    /// How long the loop may go without a heartbeat before the process counts as stalled.
    public let stallLimit: Duration
    /// Reads the monotonic clock; a closure so that tests can move time by hand.
    private let now: @Sendable () -> ContinuousClock.Instant
    /// The mutable part, touched from the pipeline's threads and the server's tasks.
    private let state: Mutex<State>

    private struct State {
        /// When the main loop last went round.
        var lastProgress: ContinuousClock.Instant
        /// Failing components and why, keyed by component name.
        var failures: [String: String] = [:]
    }

    /// Creates a check that starts healthy.
    /// - Parameters:
    ///   - stallLimit: How long without a ``progress()`` heartbeat counts as stalled; 120 s unless given.
    ///     Choose it above the longest normal pause of the main loop (an SQS long poll is 20 s).
    ///   - clock: Reads a monotonic clock; `ContinuousClock.now` unless given (tests inject their own).
    public init(
        stallLimit: Duration = .seconds(120),
        clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.stallLimit = stallLimit
        self.now = clock
        self.state = Mutex(State(lastProgress: clock()))
    }

    /// Records a heartbeat: the main loop went round. Cheap (a lock and a clock read).
    public func progress() {
        let instant = now()
        state.withLock { $0.lastProgress = instant }
    }

    /// Records that `component` cannot work, e.g. `failing(component: "sink webhook", reason: "HTTP 503 for 10 minutes")`.
    /// A later call for the same component replaces its reason.
    public func failing(component: String, reason: String) {
        state.withLock { $0.failures[component] = reason }
    }

    /// Records that `component` works again. Does nothing if it was not failing.
    public func recovered(component: String) {
        state.withLock { _ = $0.failures.removeValue(forKey: component) }
    }

    /// Whether the process can make progress now, and if not, why.
    public func status() -> HealthStatus {
        let instant = now()
        let (lastProgress, failures) = state.withLock { ($0.lastProgress, $0.failures) }
        // Failures first: they name the cause, where a stall only shows the effect.
        if let component = failures.keys.min(), let reason = failures[component] {
            var text = "\(component): \(reason)"
            if failures.count > 1 { text += " (and \(failures.count - 1) more failing)" }
            return .unhealthy(reason: Self.oneLine(text))
        }
        let quiet = lastProgress.duration(to: instant)
        if quiet > stallLimit {
            return .unhealthy(reason: "no progress for \(Self.seconds(quiet)) s (limit \(Self.seconds(stallLimit)) s)")
        }
        return .healthy
    }

    /// Whole seconds, rounded down, for messages.
    private static func seconds(_ duration: Duration) -> Int64 {
        duration.components.seconds
    }

    /// The reason goes into a one-line HTTP body and into logs that probes collect, so line
    /// breaks from an error's description are flattened.
    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}

import Synchronization
import Testing
import VigilMetrics

/// A monotonic clock that moves only when told.
final class ManualClock: Sendable {
    private let start = ContinuousClock.now
    private let offset = Mutex<Duration>(.zero)

    func now() -> ContinuousClock.Instant { start + offset.withLock { $0 } }
    func advance(_ duration: Duration) { offset.withLock { $0 += duration } }
}

/// `/healthz`'s decision: stalls, failures and recovery, on a clock moved by hand.
@Suite struct HealthCheckTests {
    @Test func healthyAtStartAndWhileHeartbeatsArrive() {
        let clock = ManualClock()
        let health = HealthCheck(stallLimit: .seconds(120), clock: clock.now)
        #expect(health.status() == .healthy)
        for _ in 0..<5 {
            clock.advance(.seconds(100))
            health.progress()
            #expect(health.status() == .healthy)
        }
    }

    @Test func staleHeartbeatIsUnhealthyAndAHeartbeatRecovers() {
        let clock = ManualClock()
        let health = HealthCheck(stallLimit: .seconds(120), clock: clock.now)
        clock.advance(.seconds(120))
        #expect(health.status() == .healthy, "exactly at the limit still counts")
        clock.advance(.seconds(5))
        #expect(health.status() == .unhealthy(reason: "no progress for 125 s (limit 120 s)"))
        health.progress()
        #expect(health.status() == .healthy)
    }

    @Test func failingComponentIsUnhealthyUntilItRecovers() {
        let clock = ManualClock()
        let health = HealthCheck(clock: clock.now)
        health.failing(component: "sink webhook", reason: "HTTP 503 since 12:00")
        #expect(health.status() == .unhealthy(reason: "sink webhook: HTTP 503 since 12:00"))
        health.progress()
        #expect(health.status() != .healthy, "heartbeats do not hide a failure")
        health.recovered(component: "sink webhook")
        #expect(health.status() == .healthy)
    }

    /// One component's recovery must not clear another's failure.
    @Test func failuresAreKeptPerComponent() {
        let health = HealthCheck(clock: ManualClock().now)
        health.failing(component: "state database", reason: "disk full")
        health.failing(component: "aws", reason: "cannot reach sqs.eu-west-1.amazonaws.com")
        #expect(health.status() == .unhealthy(reason: "aws: cannot reach sqs.eu-west-1.amazonaws.com (and 1 more failing)"))
        health.recovered(component: "aws")
        #expect(health.status() == .unhealthy(reason: "state database: disk full"))
        health.recovered(component: "sink file")  // never failed: no effect
        #expect(health.status() == .unhealthy(reason: "state database: disk full"))
        health.recovered(component: "state database")
        #expect(health.status() == .healthy)
    }

    @Test func reasonIsOneLine() {
        let health = HealthCheck(clock: ManualClock().now)
        health.failing(component: "sink webhook", reason: "connection refused\nretrying\r\n")
        guard case .unhealthy(let reason) = health.status() else {
            Issue.record("expected unhealthy")
            return
        }
        #expect(!reason.contains { $0.isNewline })
        #expect(reason.hasPrefix("sink webhook: connection refused retrying"))
    }
}

import Foundation
import VigilHTTP

/// When a failed delivery is tried again, and when it is given up.
///
/// EventBridge's rules for API destinations: timeouts, connection errors, 429 and 5xx are
/// retried; any other answer (3xx, other 4xx) would fail the same way again and goes to the
/// dead-letter file at once. Retries back off exponentially with full jitter (the delay before
/// retry n is uniform in 0…min(maximum, first × 2ⁿ⁻¹), which spreads the retries of many alerts
/// that failed together), a `Retry-After` is honoured as a minimum, and retrying stops after
/// `maximumRetryAttempts` retries or when the next try would come after `maximumEventAge`.
///
/// Pure: time and randomness are arguments, so tests can pin both.
public struct RetryPolicy: Sendable, Equatable {
    public var maximumRetryAttempts: Int
    public var maximumEventAge: TimeInterval
    public var firstRetryDelay: TimeInterval
    public var maximumRetryDelay: TimeInterval

    public init(maximumRetryAttempts: Int = 185, maximumEventAge: TimeInterval = 24 * 60 * 60,
                firstRetryDelay: TimeInterval = 1, maximumRetryDelay: TimeInterval = 60) {
        self.maximumRetryAttempts = maximumRetryAttempts
        self.maximumEventAge = maximumEventAge
        self.firstRetryDelay = firstRetryDelay
        self.maximumRetryDelay = maximumRetryDelay
    }

    /// What to do with an alert after an attempt.
    public enum Decision: Sendable, Equatable {
        /// The receiver took it: forget it.
        case delivered
        /// Try again at this time.
        case retry(at: Date)
        /// Give up: dead-letter it, with why retrying stopped (nil when the error is not one
        /// that retrying could fix).
        case deadLetter(exhausted: ExhaustedRetryCondition?)
    }

    /// Whether retrying could help: timeouts, connection errors, 429 and 5xx, and the AWS errors
    /// that say so (throttling, internal failures).
    public static func isRetryable(_ outcome: DeliveryOutcome) -> Bool {
        switch outcome {
        case .accepted: false
        case .timeout, .connectionError: true
        case .httpError(let status, _, _): status == 429 || (500...599).contains(status)
        case .serviceError(_, let retryable, _): retryable
        }
    }

    /// Decides after attempt number `attempts` (1 for the first try) of an alert spooled at
    /// `enqueuedAt` ended in `outcome` at `now`.
    public func decide<Random: RandomNumberGenerator>(
        after outcome: DeliveryOutcome, attempts: Int, enqueuedAt: Date, now: Date, using random: inout Random
    ) -> Decision {
        if case .accepted = outcome { return .delivered }
        guard Self.isRetryable(outcome) else { return .deadLetter(exhausted: nil) }
        let retriesMade = attempts - 1
        guard retriesMade < maximumRetryAttempts else { return .deadLetter(exhausted: .maximumRetryAttempts) }
        var delay = backoffDelay(beforeRetry: retriesMade + 1, using: &random)
        if let header = outcome.retryAfter, let asked = RetryAfter.delay(header, now: now) {
            delay = max(delay, asked)
        }
        let next = now.addingTimeInterval(delay)
        guard next <= expiry(enqueuedAt: enqueuedAt) else { return .deadLetter(exhausted: .maximumEventAge) }
        return .retry(at: next)
    }

    /// The jittered delay before retry number `retry` (1 for the first retry).
    public func backoffDelay<Random: RandomNumberGenerator>(beforeRetry retry: Int, using random: inout Random)
        -> TimeInterval {
        ExponentialBackoff(base: firstRetryDelay, cap: maximumRetryDelay).delay(beforeRetry: retry, using: &random)
    }

    /// When an alert spooled at `enqueuedAt` is too old to try.
    public func expiry(enqueuedAt: Date) -> Date {
        enqueuedAt.addingTimeInterval(maximumEventAge)
    }
}

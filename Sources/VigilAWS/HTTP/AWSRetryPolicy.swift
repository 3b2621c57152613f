import Foundation
import VigilHTTP

/// How often and how long `AWSClient` tries a call that failed in a way that may pass: throttling,
/// a 5xx, a connection failure or a timeout.
///
/// Exponential backoff with full jitter (`ExponentialBackoff`, AWS's recommendation for many
/// clients hitting one service): the delay before retry n is uniform in 0…min(maximumDelay, firstDelay × 2ⁿ⁻¹).
public struct AWSRetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maximumAttempts: Int
    public var firstDelay: Double
    public var maximumDelay: Double

    public init(maximumAttempts: Int = 6, firstDelay: Double = 0.2, maximumDelay: Double = 20) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.firstDelay = firstDelay
        self.maximumDelay = maximumDelay
    }

    /// The delay before retry `retry` (1 for the first), with `random` in 0..<1.
    public func delay(beforeRetry retry: Int, random: Double = Double.random(in: 0..<1)) -> Double {
        ExponentialBackoff(base: firstDelay, cap: maximumDelay).delay(beforeRetry: retry, fraction: random)
    }
}

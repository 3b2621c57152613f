import Foundation

/// Exponential backoff with full jitter, the delays webhook deliveries and AWS calls wait before
/// trying again: the delay before retry n is uniform in 0…min(cap, base × 2ⁿ⁻¹).
///
/// Full jitter (rather than a delay around the ceiling) is AWS's recommendation for many clients
/// that failed together: it spreads their retries over the whole range, so they do not come back
/// in step. What to retry, how often, and what a `Retry-After` adds stay with each policy.
public struct ExponentialBackoff: Sendable, Equatable {
    /// The ceiling of the first retry's delay, in seconds; each later retry doubles it.
    public var base: Double
    /// The most any delay may be, in seconds.
    public var cap: Double

    public init(base: Double, cap: Double) {
        self.base = base
        self.cap = cap
    }

    /// The most the delay before retry `retry` (1 for the first) may be: min(cap, base × 2ʳᵉᵗʳʸ⁻¹).
    public func ceiling(beforeRetry retry: Int) -> Double {
        min(cap, base * pow(2, Double(max(0, retry - 1))))
    }

    /// The delay before retry `retry` (1 for the first), drawn from `random`: a seeded generator
    /// gives the same delays every time.
    public func delay<Random: RandomNumberGenerator>(beforeRetry retry: Int, using random: inout Random) -> Double {
        Double.random(in: 0...ceiling(beforeRetry: retry), using: &random)
    }

    /// The delay before retry `retry` (1 for the first) for a draw `fraction` in 0..<1, which callers
    /// and tests may pin.
    public func delay(beforeRetry retry: Int, fraction: Double) -> Double {
        ceiling(beforeRetry: retry) * fraction
    }
}

import Foundation
import Testing
import VigilHTTP
import VigilTestSupport

@Suite("Exponential backoff with full jitter")
struct ExponentialBackoffTests {
    let backoff = ExponentialBackoff(base: 0.5, cap: 20)

    @Test func theCeilingDoublesFromTheBaseUpToTheCap() {
        #expect((1...8).map { backoff.ceiling(beforeRetry: $0) } == [0.5, 1, 2, 4, 8, 16, 20, 20])
        #expect(backoff.ceiling(beforeRetry: 1_000) == 20)
        // Retry 0 and below are read as the first retry.
        #expect(backoff.ceiling(beforeRetry: 0) == 0.5)
        #expect(backoff.ceiling(beforeRetry: -3) == 0.5)
    }

    @Test func aPinnedFractionScalesTheCeiling() {
        #expect(backoff.delay(beforeRetry: 3, fraction: 0.5) == 1)
        #expect(backoff.delay(beforeRetry: 9, fraction: 0) == 0)
        #expect(backoff.delay(beforeRetry: 9, fraction: 0.999) < 20)
        #expect(backoff.delay(beforeRetry: 1, fraction: 0.999) < 0.5)
    }

    @Test func drawnDelaysStayWithinZeroAndTheCeilingAndSpreadOverIt() {
        var random = SeededRandom(seed: 2_026)
        for retry in 1...12 {
            let ceiling = backoff.ceiling(beforeRetry: retry)
            let delays = (0..<500).map { _ in backoff.delay(beforeRetry: retry, using: &random) }
            #expect(delays.allSatisfy { $0 >= 0 && $0 <= ceiling }, "retry \(retry)")
            #expect(delays.max()! > ceiling * 0.9 && delays.min()! < ceiling * 0.1, "full jitter, retry \(retry)")
        }
    }

    @Test func aDrawIsTheCeilingTimesAUnitDrawOfTheSameGenerator() {
        // What a seeded generator gives is fixed (DeliveryRetryPolicyTests pins it through the
        // webhook policy); here, that both forms of the delay agree.
        var drawing = SeededRandom(seed: 9)
        var unit = SeededRandom(seed: 9)
        for retry in 1...30 {
            let drawn = backoff.delay(beforeRetry: retry, using: &drawing)
            let fraction = Double.random(in: 0...1, using: &unit)
            #expect(drawn == backoff.delay(beforeRetry: retry, fraction: fraction), "retry \(retry)")
        }
    }

    @Test func aZeroBaseNeverWaits() {
        var random = SeededRandom(seed: 1)
        let none = ExponentialBackoff(base: 0, cap: 60)
        #expect((1...5).allSatisfy { none.delay(beforeRetry: $0, using: &random) == 0 })
    }
}

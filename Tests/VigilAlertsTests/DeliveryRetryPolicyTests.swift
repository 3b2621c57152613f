import Foundation
import Testing
import VigilTestSupport
import VigilAlerts

@Suite struct DeliveryRetryPolicyTests {
    let policy = RetryPolicy(maximumRetryAttempts: 5, maximumEventAge: 3_600, firstRetryDelay: 1, maximumRetryDelay: 60)
    /// 2023-11-14T22:13:20Z.
    let start = Date(timeIntervalSince1970: 1_700_000_000)

    static let retryable: [DeliveryOutcome] = [
        .timeout(message: "t"), .connectionError(message: "c"),
        .httpError(status: 429, retryAfter: nil, message: "m"),
        .httpError(status: 500, retryAfter: nil, message: "m"), .httpError(status: 502, retryAfter: nil, message: "m"),
        .httpError(status: 503, retryAfter: nil, message: "m"), .httpError(status: 504, retryAfter: nil, message: "m"),
        .httpError(status: 599, retryAfter: nil, message: "m"),
    ]

    @Test(arguments: retryable)
    func timeoutsConnectionErrors429And5xxAreRetried(outcome: DeliveryOutcome) {
        var random = SeededRandom(seed: 1)
        #expect(RetryPolicy.isRetryable(outcome))
        let decision = policy.decide(after: outcome, attempts: 1, enqueuedAt: start, now: start, using: &random)
        guard case .retry(let time) = decision else {
            Issue.record("expected a retry, got \(decision)")
            return
        }
        #expect(time >= start && time <= start.addingTimeInterval(1))
    }

    @Test(arguments: [300, 301, 302, 304, 307, 400, 401, 403, 404, 408, 409, 410, 413, 422])
    func otherAnswersGoToTheDeadLetterFileWithoutRetry(status: Int) {
        var random = SeededRandom(seed: 1)
        let outcome = DeliveryOutcome.httpError(status: status, retryAfter: "1", message: "m")
        #expect(!RetryPolicy.isRetryable(outcome))
        #expect(policy.decide(after: outcome, attempts: 1, enqueuedAt: start, now: start, using: &random)
            == .deadLetter(exhausted: nil))
    }

    @Test func aTwoHundredIsDelivered() {
        var random = SeededRandom(seed: 1)
        #expect(policy.decide(after: .accepted(status: 204), attempts: 7, enqueuedAt: start, now: start, using: &random)
            == .delivered)
    }

    @Test func backoffDoublesUpToTheCapWithFullJitter() {
        var random = SeededRandom(seed: 42)
        for retry in 1...10 {
            let ceiling = min(60, pow(2, Double(retry - 1)))
            let delays = (0..<400).map { _ in policy.backoffDelay(beforeRetry: retry, using: &random) }
            #expect(delays.allSatisfy { $0 >= 0 && $0 <= ceiling }, "retry \(retry)")
            // Full jitter spreads delays over the whole range, not around the ceiling.
            #expect(delays.max()! > ceiling * 0.9, "retry \(retry)")
            #expect(delays.min()! < ceiling * 0.1, "retry \(retry)")
        }
    }

    @Test func theSameSeedGivesTheSameDelays() {
        var first = SeededRandom(seed: 7)
        var second = SeededRandom(seed: 7)
        let a = (1...20).map { policy.backoffDelay(beforeRetry: $0, using: &first) }
        let b = (1...20).map { policy.backoffDelay(beforeRetry: $0, using: &second) }
        #expect(a == b)
    }

    @Test func retryingStopsAfterTheMaximumRetryAttempts() {
        var random = SeededRandom(seed: 3)
        let failure = DeliveryOutcome.httpError(status: 503, retryAfter: nil, message: "m")
        // Attempt 6 is the fifth retry: nothing is left.
        #expect(policy.decide(after: failure, attempts: 6, enqueuedAt: start, now: start, using: &random)
            == .deadLetter(exhausted: .maximumRetryAttempts))
        guard case .retry = policy.decide(after: failure, attempts: 5, enqueuedAt: start, now: start, using: &random) else {
            Issue.record("the fourth retry's failure should leave one retry")
            return
        }
    }

    @Test func noRetriesAtAllMeansTheFirstFailureIsFinal() {
        var random = SeededRandom(seed: 3)
        let once = RetryPolicy(maximumRetryAttempts: 0, maximumEventAge: 60, firstRetryDelay: 1, maximumRetryDelay: 1)
        #expect(once.decide(after: .timeout(message: "t"), attempts: 1, enqueuedAt: start, now: start, using: &random)
            == .deadLetter(exhausted: .maximumRetryAttempts))
    }

    @Test func retryingStopsWhenTheNextTryWouldPassTheMaximumAge() {
        var random = SeededRandom(seed: 3)
        let limited = DeliveryOutcome.httpError(status: 429, retryAfter: "120", message: "m")
        #expect(policy.decide(after: limited, attempts: 2, enqueuedAt: start, now: start.addingTimeInterval(3_500),
                              using: &random) == .deadLetter(exhausted: .maximumEventAge))
        #expect(policy.decide(after: limited, attempts: 2, enqueuedAt: start, now: start.addingTimeInterval(100),
                              using: &random) == .retry(at: start.addingTimeInterval(220)))
    }

    @Test func retryAfterInSecondsIsHonouredAsAMinimum() {
        var random = SeededRandom(seed: 5)
        let limited = DeliveryOutcome.httpError(status: 429, retryAfter: "30", message: "m")
        #expect(policy.decide(after: limited, attempts: 1, enqueuedAt: start, now: start, using: &random)
            == .retry(at: start.addingTimeInterval(30)))
        // Beyond the backoff cap too: the receiver knows when it can take more.
        let unavailable = DeliveryOutcome.httpError(status: 503, retryAfter: "300", message: "m")
        #expect(policy.decide(after: unavailable, attempts: 1, enqueuedAt: start, now: start, using: &random)
            == .retry(at: start.addingTimeInterval(300)))
    }

    @Test func retryAfterAsAnHTTPDateIsHonoured() {
        var random = SeededRandom(seed: 5)
        let limited = DeliveryOutcome.httpError(status: 429, retryAfter: "Tue, 14 Nov 2023 22:13:40 GMT", message: "m")
        #expect(policy.decide(after: limited, attempts: 1, enqueuedAt: start, now: start, using: &random)
            == .retry(at: start.addingTimeInterval(20)))
    }

    @Test func retryAfterReadsAllThreeHTTPDateForms() {
        // The three forms of 1700000020 as Python's email.utils and strftime print them.
        let expected = Date(timeIntervalSince1970: 1_700_000_020)
        #expect(RetryAfter.httpDate("Tue, 14 Nov 2023 22:13:40 GMT") == expected)
        #expect(RetryAfter.httpDate("Tuesday, 14-Nov-23 22:13:40 GMT") == expected)
        #expect(RetryAfter.httpDate("Tue Nov 14 22:13:40 2023") == expected)
        #expect(RetryAfter.httpDate("Tue, 14 Nov 2023 22:13:40 CET") == nil)
        #expect(RetryAfter.delay("soon", now: start) == nil)
        #expect(RetryAfter.delay("-5", now: start) == nil)
        #expect(RetryAfter.delay(" 7 ", now: start) == 7)
        #expect(RetryAfter.delay("Tue, 14 Nov 2023 22:00:00 GMT", now: start) == 0)
    }
}

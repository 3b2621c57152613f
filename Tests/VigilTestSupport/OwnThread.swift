import Foundation

/// Runs blocking work (subprocesses waited for, polling, a server's fixture script) on a thread
/// of its own and awaits it, so that a long test does not hold one of the few threads of Swift's
/// concurrency pool (two on a two-core machine) that the async tests run on: an async test
/// starved for minutes fails on timing it never caused (a health check's stall limit, say).
/// `body` must not record issues (`#expect`) itself: it returns what the test then checks.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

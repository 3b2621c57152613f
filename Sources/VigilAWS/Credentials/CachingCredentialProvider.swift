import Foundation
import Synchronization

/// Keeps the credentials a provider found and asks it again only when they are about to expire:
/// the chain behind it makes HTTP requests (STS, the container endpoint, instance metadata), and
/// `AWSClient` asks for credentials at every attempt of every call.
///
/// Long-term keys (no expiration) are kept for good. Temporary ones are refreshed from
/// `refreshWindow` (5 minutes) before they expire, the window botocore's advisory refresh leaves
/// for clock skew and a slow STS. Within the window one caller refreshes while the others go on
/// with the old credentials, which still work; once they have expired every caller waits for the
/// refresh. A refresh that fails while the old credentials are still valid is not an error: they
/// are used, and the next refresh is tried `retryInterval` later, so that an STS outage does not
/// add a timeout to every request.
public final class CachingCredentialProvider: AWSCredentialProvider {
    private let base: any AWSCredentialProvider
    /// Seconds before expiration from which credentials are refreshed.
    public let refreshWindow: TimeInterval
    /// Seconds between refresh attempts while the old credentials are still valid.
    public let retryInterval: TimeInterval
    private let now: @Sendable () -> Date

    private struct State {
        var credentials: AWSCredentials?
        /// No refresh is attempted before this while the credentials held are still valid.
        var nextAttempt: Date?
    }

    private let state = Mutex(State())
    /// Held by the one caller that asks `base`, so that callers do not all refresh at once.
    private let refreshing = Mutex(())

    /// - Parameters:
    ///   - base: where credentials come from, typically a `CredentialChain`.
    ///   - now: the clock, injected by tests.
    public init(_ base: any AWSCredentialProvider, refreshWindow: TimeInterval = 5 * 60, retryInterval: TimeInterval = 10,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.base = base
        self.refreshWindow = refreshWindow
        self.retryInterval = retryInterval
        self.now = now
    }

    public func credentials() throws(AWSAccessError) -> AWSCredentials {
        let held = state.withLock { $0 }
        let time = now()
        if let current = held.credentials, isValid(current, at: time) {
            guard needsRefresh(current, at: time), held.nextAttempt.map({ time >= $0 }) ?? true else { return current }
            // Still valid: refresh unless another caller is already at it, and use these meanwhile.
            let refreshed = refreshing.withLockIfAvailable { _ in refresh() }
            return try (refreshed ?? .success(current)).get()
        }
        return try refreshing.withLock { _ in refresh() }.get()
    }

    /// Forgets the credentials held, so the next call asks `base`: for an answer saying they expired
    /// or were revoked before their time.
    public func invalidate() {
        state.withLock { $0 = State() }
    }

    /// Asks `base` unless another caller refreshed while this one waited; on failure, falls back to
    /// the credentials held while they are valid. Called with `refreshing` held.
    private func refresh() -> Result<AWSCredentials, AWSAccessError> {
        let held = state.withLock { $0 }
        let time = now()
        if let current = held.credentials, isValid(current, at: time),
           !needsRefresh(current, at: time) || held.nextAttempt.map({ time < $0 }) == true {
            return .success(current)
        }
        do {
            let fresh = try base.credentials()
            let after = now()
            state.withLock {
                $0.credentials = fresh
                // Credentials that arrive already inside the window are not asked for again at once.
                $0.nextAttempt = needsRefresh(fresh, at: after) ? after.addingTimeInterval(retryInterval) : nil
            }
            return .success(fresh)
        } catch {
            let after = now()
            if let current = held.credentials, isValid(current, at: after) {
                state.withLock { $0.nextAttempt = after.addingTimeInterval(retryInterval) }
                return .success(current)
            }
            return .failure(error)
        }
    }

    private func isValid(_ credentials: AWSCredentials, at time: Date) -> Bool {
        credentials.expiration.map { time < $0 } ?? true
    }

    private func needsRefresh(_ credentials: AWSCredentials, at time: Date) -> Bool {
        credentials.expiration.map { time >= $0.addingTimeInterval(-refreshWindow) } ?? false
    }
}

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A session delegate that declines every redirect, so that the 3xx answer itself reaches the
/// caller: a signed request or a signed alert must not be replayed to wherever a 3xx points, and
/// what a 3xx means (S3's wrong region, a moved webhook) is better reported than chased.
///
/// Final: a delegate with more to do should refuse redirects itself rather than subclass this one, since a subclass's own task-delegate methods (`didCompleteWithError`)
/// would not be called through the conformance made here, which keeps URLSession's default ones.
public final class RedirectRefusal: NSObject, URLSessionTaskDelegate, Sendable {
    override public init() {
        super.init()
    }

    public func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                           newRequest request: URLRequest,
                           completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

extension URLSessionConfiguration {
    /// Settings for a client that talks to one kind of peer: ephemeral, caching nothing and keeping
    /// no cookies.
    ///
    /// - Parameters:
    ///   - maximumConnectionsPerHost: connections kept open to one host, for requests in parallel.
    ///   - requestTimeout, resourceTimeout: URLSession's idle and total timeouts, which only back
    ///     up the caller's own wait (see ``HTTPExchange``).
    public static func singlePeerClient(maximumConnectionsPerHost: Int, requestTimeout: Double,
                                        resourceTimeout: Double) -> URLSessionConfiguration {
        let settings = URLSessionConfiguration.ephemeral
        settings.timeoutIntervalForRequest = requestTimeout
        settings.timeoutIntervalForResource = resourceTimeout
        settings.httpMaximumConnectionsPerHost = maximumConnectionsPerHost
        settings.requestCachePolicy = .reloadIgnoringLocalCacheData
        settings.urlCache = nil
        settings.httpCookieStorage = nil
        settings.httpShouldSetCookies = false
        return settings
    }
}

extension URLSession {
    /// A session on `settings` whose delegate is a ``RedirectRefusal``.
    public static func refusingRedirects(_ settings: URLSessionConfiguration) -> URLSession {
        URLSession(configuration: settings, delegate: RedirectRefusal(), delegateQueue: nil)
    }
}

import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP request sent on a URLSession, with the calling thread waiting for the whole answer:
/// how webhooks are posted and AWS APIs called.
///
/// Vigil's pipeline and delivery workers run on threads of their own, not in Swift concurrency, and
/// a blocking call keeps their code straight-line. The caller's wait is the timeout: it bounds the
/// whole exchange, where URLSession's own timeouts measure idle time, so a peer that trickles bytes
/// cannot hold a worker. When it passes, the task is cancelled.
public enum HTTPExchange {
    /// What a request came to, reduced to Sendable values on URLSession's callback thread.
    public enum Answer: Sendable {
        /// An HTTP answer, whatever its status (a 3xx too, where the session refuses redirects).
        case answered(HTTPAnswer)
        /// The peer answered with something that is not HTTP.
        case notHTTP
        /// No answer: URLSession's error code, nil for an error that is not a `URLError`.
        case failed(URLError.Code?)
    }

    /// Sends `request` on `session` and waits up to `timeout` seconds for its whole answer; nil when
    /// none came in that time (the task is cancelled then). The request's own timeout is set to
    /// ``backstop(_:)`` of `timeout`.
    public static func send(_ request: URLRequest, on session: URLSession, timeout: Double) -> Answer? {
        var request = request
        request.timeoutInterval = backstop(timeout)
        let pending = PendingAnswer()
        let task = session.dataTask(with: request) { data, response, error in
            pending.complete(data: data, response: response, error: error)
        }
        task.resume()
        guard let answer = pending.wait(seconds: timeout) else {
            task.cancel()
            return nil
        }
        return answer
    }

    /// The timeout handed to URLSession, which only backs up the caller's own wait: whole seconds
    /// and one more, because swift-corelibs-foundation truncates a request's timeout to whole
    /// seconds (0.2 s becomes 0, which timed out requests the receiver had answered, as the webhook
    /// delivery tests showed) and so must never fire before the wait does.
    public static func backstop(_ timeout: Double) -> Double {
        timeout.rounded(.up) + 1
    }
}

/// An HTTP answer: its status, header fields and whole body.
public struct HTTPAnswer: Sendable {
    public let status: Int
    /// The header fields as URLSession gives them; read them with ``header(_:)``, whose names are
    /// case-insensitive as HTTP's are.
    public let headers: [String: String]
    /// The body, empty when there was none.
    public let body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of header `name`, in any case.
    public func header(_ name: String) -> String? {
        if let exact = headers[name] { return exact }
        return headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Hands a data task's answer from URLSession's callback thread to the waiting caller.
private final class PendingAnswer: Sendable {
    private let answer = Mutex<HTTPExchange.Answer?>(nil)
    private let done = DispatchSemaphore(value: 0)

    func complete(data: Data?, response: URLResponse?, error: (any Error)?) {
        let result: HTTPExchange.Answer
        if let error {
            result = .failed((error as? URLError)?.code)
        } else if let response = response as? HTTPURLResponse {
            var headers: [String: String] = [:]
            for (name, value) in response.allHeaderFields {
                if let name = name as? String, let value = value as? String { headers[name] = value }
            }
            result = .answered(HTTPAnswer(status: response.statusCode, headers: headers, body: data ?? Data()))
        } else {
            result = .notHTTP
        }
        answer.withLock { $0 = result }
        done.signal()
    }

    /// The answer, or nil when none came within `seconds`.
    func wait(seconds: Double) -> HTTPExchange.Answer? {
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        return answer.withLock { $0 }
    }
}

import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// POSTs one alert to the webhook and says what came of it.
///
/// Each call blocks its worker thread until an answer or the timeout; the sink runs as many
/// workers as it allows requests in flight. Redirects are not followed: a signed alert must not
/// be forwarded to wherever a 3xx points, and a 3xx is not retried, so it goes to the dead-letter
/// file like other refusals. HTTPS uses URLSession's default trust evaluation.
///
/// Connections are kept alive between requests. On Linux, a receiver that reads a request and
/// then drops a reused connection without answering surfaces as a timeout rather than a
/// connection error (libcurl's retry on a fresh connection stalls in swift-corelibs-foundation,
/// as the delivery tests' dropped connections show); both are retried alike, so it costs that
/// one alert a timeout's delay and nothing else.
final class WebhookClient: Sendable {
    private let url: URL
    private let headers: [String: String]
    private let signer: WebhookSigner?
    private let timeout: TimeInterval
    private let session: URLSession

    init(configuration: WebhookConfiguration, signer: WebhookSigner?) {
        url = configuration.url
        headers = configuration.headers
        self.signer = signer
        timeout = configuration.timeout
        let settings = URLSessionConfiguration.ephemeral
        settings.timeoutIntervalForRequest = Self.sessionTimeout(configuration.timeout)
        settings.timeoutIntervalForResource = Self.sessionTimeout(configuration.timeout)
        settings.httpMaximumConnectionsPerHost = configuration.concurrency
        settings.requestCachePolicy = .reloadIgnoringLocalCacheData
        settings.urlCache = nil
        settings.httpCookieStorage = nil
        settings.httpShouldSetCookies = false
        session = URLSession(configuration: settings, delegate: RedirectRefusal(), delegateQueue: nil)
    }

    /// Ends the session; pending requests are cancelled.
    func invalidate() {
        session.invalidateAndCancel()
    }

    /// One attempt at delivering `delivery`, signed at `now`.
    func post(_ delivery: SpooledDelivery, now: Date) -> DeliveryOutcome {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData,
                                 timeoutInterval: Self.sessionTimeout(timeout))
        request.httpMethod = "POST"
        for (name, value) in headers {
            request.setValue(value, forHTTPHeaderField: name)
        }
        request.setValue(delivery.contentType, forHTTPHeaderField: "Content-Type")
        request.setValue("vigil", forHTTPHeaderField: "User-Agent")
        let timestamp = Int64(now.timeIntervalSince1970)
        if let signer {
            for header in signer.headers(id: delivery.alertID, timestamp: timestamp, body: delivery.body) {
                request.setValue(header.value, forHTTPHeaderField: header.name)
            }
        } else {
            // Unsigned requests still carry the id, so receivers can drop repeats.
            request.setValue(delivery.alertID, forHTTPHeaderField: "webhook-id")
            request.setValue(String(timestamp), forHTTPHeaderField: "webhook-timestamp")
        }
        request.httpBody = Data(delivery.body)

        let exchange = Exchange()
        let task = session.dataTask(with: request) { data, response, error in
            exchange.complete(data: data, response: response, error: error)
        }
        task.resume()
        // This wait is the timeout: it bounds the whole request, where URLSession's measure idle
        // time, so a receiver that trickles bytes cannot hold a worker (and the row's lease).
        guard let answer = exchange.wait(seconds: timeout) else {
            task.cancel()
            return .timeout(message: timeoutMessage)
        }
        return outcome(of: answer)
    }

    /// The timeout handed to URLSession, which only backs up the worker's own wait: whole seconds
    /// and one more, because swift-corelibs-foundation truncates a request's timeout to whole
    /// seconds (0.2 s becomes 0, which timed out requests the receiver had answered, as the
    /// delivery tests showed) and so must never fire before the wait does.
    private static func sessionTimeout(_ timeout: TimeInterval) -> TimeInterval {
        timeout.rounded(.up) + 1
    }

    private var timeoutMessage: String {
        "No answer from \(endpoint) within \(Self.seconds(timeout))."
    }

    /// Host and port, for messages: the path and query may carry tokens, so they are left out.
    private var endpoint: String {
        let host = url.host ?? "the webhook"
        return url.port.map { "\(host):\($0)" } ?? host
    }

    private func outcome(of answer: Exchange.Answer) -> DeliveryOutcome {
        switch answer {
        case .failed(let code):
            if code == .timedOut { return .timeout(message: timeoutMessage) }
            return .connectionError(message: connectionFailure(code))
        case .notHTTP:
            return .connectionError(message: "\(endpoint) answered with something that is not HTTP.")
        case .answered(let status, let retryAfter, let body):
            if (200...299).contains(status) { return .accepted(status: status) }
            var message = "\(endpoint) answered HTTP \(status)."
            if let excerpt = Self.excerpt(body) { message += " Its body began: \(excerpt)" }
            return .httpError(status: status, retryAfter: retryAfter, message: message)
        }
    }

    /// A sentence for a failed connection, made from the error code alone: URLSession's own
    /// descriptions repeat the full URL, whose query may hold a token.
    private func connectionFailure(_ code: URLError.Code?) -> String {
        switch code {
        case .cannotConnectToHost?: "\(endpoint) refused the connection."
        case .networkConnectionLost?: "\(endpoint) closed the connection before answering."
        case .cannotFindHost?, .dnsLookupFailed?: "The host name of \(endpoint) could not be resolved."
        case .notConnectedToInternet?: "There is no network route to \(endpoint)."
        case .secureConnectionFailed?, .serverCertificateUntrusted?, .serverCertificateHasBadDate?,
             .serverCertificateHasUnknownRoot?, .serverCertificateNotYetValid?:
            "The TLS connection to \(endpoint) failed: its certificate is not trusted or the handshake failed."
        case .badServerResponse?, .zeroByteResource?, .cannotParseResponse?:
            "\(endpoint) closed the connection without a valid HTTP answer."
        case .cancelled?: "The request to \(endpoint) was cancelled."
        case let code?: "The request to \(endpoint) failed (URLError \(code.rawValue))."
        case nil: "The request to \(endpoint) failed."
        }
    }

    /// The start of an error answer's body, on one line: receivers often say there what is wrong.
    private static func excerpt(_ data: Data?) -> String? {
        guard let data, !data.isEmpty else { return nil }
        let text = String(decoding: data.prefix(200), as: UTF8.self)
        let oneLine = String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
        return data.count > 200 ? oneLine + "…" : oneLine
    }

    private static func seconds(_ interval: TimeInterval) -> String {
        interval >= 1 && interval == interval.rounded() ? "\(Int(interval)) s" : "\(Int((interval * 1000).rounded())) ms"
    }
}

/// Hands a data task's answer from URLSession's callback thread to the waiting worker.
private final class Exchange: Sendable {
    /// What the task came to, reduced to Sendable values in the callback.
    enum Answer: Sendable {
        case answered(status: Int, retryAfter: String?, body: Data?)
        case notHTTP
        case failed(URLError.Code?)
    }

    private let answer = Mutex<Answer?>(nil)
    private let done = DispatchSemaphore(value: 0)

    func complete(data: Data?, response: URLResponse?, error: (any Error)?) {
        let result: Answer
        if let error {
            result = .failed((error as? URLError)?.code)
        } else if let response = response as? HTTPURLResponse {
            result = .answered(status: response.statusCode,
                               retryAfter: response.value(forHTTPHeaderField: "Retry-After"), body: data)
        } else {
            result = .notHTTP
        }
        answer.withLock { $0 = result }
        done.signal()
    }

    /// The answer, or nil when none came within `seconds`.
    func wait(seconds: TimeInterval) -> Answer? {
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        return answer.withLock { $0 }
    }
}

/// Declines every redirect, so the 3xx answer itself reaches the completion handler.
private final class RedirectRefusal: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

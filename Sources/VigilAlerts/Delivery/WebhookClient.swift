import Foundation
import VigilHTTP
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
final class WebhookClient: DeliveryTransport {
    private let url: URL
    private let headers: [String: String]
    private let signer: WebhookSigner?
    let timeout: TimeInterval
    private let session: URLSession

    init(configuration: WebhookConfiguration, signer: WebhookSigner?) {
        url = configuration.url
        headers = configuration.headers
        self.signer = signer
        timeout = configuration.timeout
        let backstop = HTTPExchange.backstop(configuration.timeout)
        session = URLSession.refusingRedirects(.singlePeerClient(maximumConnectionsPerHost: configuration.concurrency,
                                                                 requestTimeout: backstop, resourceTimeout: backstop))
    }

    /// One POST per alert.
    var batchLimit: DeliveryBatchLimit { .single }

    /// POSTs each alert of `batch` (one, as `batchLimit` says).
    func deliver(_ batch: [SpooledDelivery], now: Date) -> [DeliveryOutcome] {
        batch.map { post($0, now: now) }
    }

    /// Ends the session; pending requests are cancelled.
    func invalidate() {
        session.invalidateAndCancel()
    }

    /// One attempt at delivering `delivery`, signed at `now`.
    func post(_ delivery: SpooledDelivery, now: Date) -> DeliveryOutcome {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData)
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

        // The exchange's wait bounds the whole request, so a receiver that trickles bytes cannot
        // hold a worker (and the row's lease).
        guard let answer = HTTPExchange.send(request, on: session, timeout: timeout) else {
            return .timeout(message: timeoutMessage)
        }
        return outcome(of: answer)
    }

    private var timeoutMessage: String {
        "No answer from \(endpoint) within \(Self.seconds(timeout))."
    }

    /// Host and port, for messages: the path and query may carry tokens, so they are left out.
    private var endpoint: String {
        let host = url.host ?? "the webhook"
        return url.port.map { "\(host):\($0)" } ?? host
    }

    private func outcome(of answer: HTTPExchange.Answer) -> DeliveryOutcome {
        switch answer {
        case .failed(let code):
            if code == .timedOut { return .timeout(message: timeoutMessage) }
            return .connectionError(message: HTTPFailure.sentence(code, endpoint: endpoint) + ".")
        case .notHTTP:
            return .connectionError(message: "\(endpoint) answered with something that is not HTTP.")
        case .answered(let answer):
            let status = answer.status
            if (200...299).contains(status) { return .accepted(status: status) }
            var message = "\(endpoint) answered HTTP \(status)."
            if let excerpt = Self.excerpt(answer.body) { message += " Its body began: \(excerpt)" }
            return .httpError(status: status, retryAfter: answer.header("Retry-After"), message: message)
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

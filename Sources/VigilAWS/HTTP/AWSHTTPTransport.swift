import Foundation
import VigilHTTP
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends one HTTP request and waits for the whole answer: what `AWSClient` signs requests for.
///
/// A protocol so that credential providers (instance metadata, the ECS endpoint) and tests can use
/// the same client code over another transport.
public protocol AWSHTTPTransport: Sendable {
    /// Sends `request` and returns the answer, whatever its status; throws when no HTTP answer came
    /// within `timeout` seconds or the connection failed.
    func send(_ request: AWSRequest, timeout: Double) throws(AWSTransportError) -> AWSResponse

    /// Sends `request` and returns as soon as the answer's status and headers are in (within
    /// `timeout` seconds); its body is read from the stream as it arrives.
    func stream(_ request: AWSRequest, timeout: Double) throws(AWSTransportError) -> AWSBodyStream
}

extension AWSHTTPTransport {
    /// The whole answer, served as a stream: for transports that cannot stream.
    public func stream(_ request: AWSRequest, timeout: Double) throws(AWSTransportError) -> AWSBodyStream {
        AWSBodyStream(response: try send(request, timeout: timeout))
    }
}

/// Why no HTTP answer came: said without the URL's query, which may hold tokens.
public struct AWSTransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        case timedOut
        case connectionFailed
        case cancelled
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// `AWSHTTPTransport` over URLSession (FoundationNetworking on Linux, which is libcurl).
///
/// Each call blocks its thread until the answer: Vigil's pipeline runs on threads of its own, not
/// in Swift concurrency, and a blocking call keeps the S3 and SQS code straight-line. Redirects are
/// not followed: a signed request must not be replayed to wherever a 3xx points, and S3's
/// wrong-region redirect is better reported (it names the bucket's region) than chased.
public final class URLSessionTransport: AWSHTTPTransport {
    private let session: URLSession
    /// Tasks whose bodies are streamed, each delivered through `streams`.
    private let streamingSession: URLSession
    private let streams = StreamRegistry()

    /// - Parameter maximumConnectionsPerHost: connections kept to one host, for parallel downloads.
    public init(maximumConnectionsPerHost: Int = 16) {
        // The caller's wait bounds each request; these only back it up.
        let settings = URLSessionConfiguration.singlePeerClient(maximumConnectionsPerHost: maximumConnectionsPerHost,
                                                                requestTimeout: 3600, resourceTimeout: 24 * 3600)
        session = URLSession.refusingRedirects(settings)
        streamingSession = URLSession(configuration: settings, delegate: StreamingDelegate(streams), delegateQueue: nil)
    }

    deinit {
        session.invalidateAndCancel()
        streamingSession.invalidateAndCancel()
    }

    public func stream(_ request: AWSRequest, timeout: Double) throws(AWSTransportError) -> AWSBodyStream {
        let urlRequest = try Self.urlRequest(request, timeout: timeout)
        let task = streamingSession.dataTask(with: urlRequest)
        let opening = streams.open(task.taskIdentifier, task: task)
        task.resume()
        guard let answer = opening.wait(seconds: timeout) else {
            task.cancel()
            streams.close(task.taskIdentifier)
            throw AWSTransportError(.timedOut, "No answer from \(request.host) within \(Int(timeout.rounded())) s")
        }
        switch answer {
        case .opened(let stream): return stream
        case .failed(let code): throw Self.failure(code, host: request.host)
        }
    }

    private static func urlRequest(_ request: AWSRequest, timeout: Double) throws(AWSTransportError) -> URLRequest {
        guard let url = URL(string: request.url) else {
            throw AWSTransportError(.connectionFailed, "\(request.scheme)://\(request.host) is not a valid URL")
        }
        var urlRequest = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData,
                                    timeoutInterval: HTTPExchange.backstop(timeout))
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers where name.lowercased() != "host" {
            urlRequest.setValue(value, forHTTPHeaderField: name)
        }
        if !request.body.isEmpty || request.method == "POST" || request.method == "PUT" {
            urlRequest.httpBody = Data(request.body)
        }
        return urlRequest
    }

    public func send(_ request: AWSRequest, timeout: Double) throws(AWSTransportError) -> AWSResponse {
        let urlRequest = try Self.urlRequest(request, timeout: timeout)
        guard let answer = HTTPExchange.send(urlRequest, on: session, timeout: timeout) else {
            throw AWSTransportError(.timedOut, "No answer from \(request.host) within \(Int(timeout.rounded())) s")
        }
        switch answer {
        case .answered(let answer):
            return AWSResponse(status: answer.status, headers: answer.headers, body: [UInt8](answer.body))
        case .notHTTP:
            throw Self.failure(.badServerResponse, host: request.host)
        case .failed(let code):
            throw Self.failure(code, host: request.host)
        }
    }

    /// The error for a request to `host` that failed with `code`, in `HTTPFailure`'s words.
    fileprivate static func failure(_ code: URLError.Code?, host: String) -> AWSTransportError {
        let kind: AWSTransportError.Kind = switch code {
        case .timedOut?: .timedOut
        case .cancelled?: .cancelled
        default: .connectionFailed
        }
        return AWSTransportError(kind, HTTPFailure.sentence(code, endpoint: host))
    }
}

/// The streamed tasks in flight, by task identifier: where the delegate delivers each one's
/// answer, bytes and end.
private final class StreamRegistry: @unchecked Sendable {
    /// Hands the answer's head (or the failure before it) to the caller of `stream`.
    final class Opening: @unchecked Sendable {
        enum Answer {
            case opened(AWSBodyStream)
            case failed(URLError.Code?)
        }

        let task: URLSessionDataTask
        private let done = DispatchSemaphore(value: 0)
        private var answer: Answer?
        var stream: AWSBodyStream?

        init(task: URLSessionDataTask) {
            self.task = task
        }

        func settle(_ answer: Answer) {
            guard self.answer == nil else { return }
            self.answer = answer
            done.signal()
        }

        func wait(seconds: Double) -> Answer? {
            guard done.wait(timeout: .now() + seconds) == .success else { return nil }
            return answer
        }
    }

    private let lock = NSLock()
    private var openings: [Int: Opening] = [:]

    func open(_ identifier: Int, task: URLSessionDataTask) -> Opening {
        let opening = Opening(task: task)
        lock.withLock { openings[identifier] = opening }
        return opening
    }

    func opening(_ identifier: Int) -> Opening? {
        lock.withLock { openings[identifier] }
    }

    func close(_ identifier: Int) {
        _ = lock.withLock { openings.removeValue(forKey: identifier) }
    }
}

/// URLSession's callbacks for streamed tasks, turned into `AWSBodyStream` calls. Runs on the
/// session's serial delegate queue.
private final class StreamingDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let streams: StreamRegistry

    init(_ streams: StreamRegistry) {
        self.streams = streams
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        guard let opening = streams.opening(dataTask.taskIdentifier), let response = response as? HTTPURLResponse else {
            completionHandler(.cancel)
            return
        }
        var headers: [String: String] = [:]
        for (name, value) in response.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name] = value }
        }
        let task = opening.task
        let stream = AWSBodyStream(status: response.statusCode, headers: headers,
                                   pause: { task.suspend() }, resume: { task.resume() }, cancel: { task.cancel() })
        opening.stream = stream
        completionHandler(.allow)
        opening.settle(.opened(stream))
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        streams.opening(dataTask.taskIdentifier)?.stream?.append(data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let opening = streams.opening(task.taskIdentifier) else { return }
        streams.close(task.taskIdentifier)
        if let stream = opening.stream {
            let host = task.originalRequest?.url?.host ?? "the endpoint"
            stream.finish(error.map { URLSessionTransport.failure(($0 as? URLError)?.code, host: host) })
        } else {
            opening.settle(.failed((error as? URLError)?.code ?? .badServerResponse))
        }
    }

    /// Declines every redirect, as `RedirectRefusal` does for whole answers (which this delegate
    /// cannot inherit from: see there).
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

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

    /// - Parameter maximumConnectionsPerHost: connections kept to one host, for parallel downloads.
    public init(maximumConnectionsPerHost: Int = 16) {
        // The caller's wait bounds each request; these only back it up.
        let settings = URLSessionConfiguration.singlePeerClient(maximumConnectionsPerHost: maximumConnectionsPerHost,
                                                                requestTimeout: 3600, resourceTimeout: 24 * 3600)
        session = URLSession.refusingRedirects(settings)
    }

    deinit {
        session.invalidateAndCancel()
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

import Foundation
import Testing
import VigilHTTP
import VigilTestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The blocking exchange against a real HTTP server on 127.0.0.1: answers, refused redirects,
/// timeouts and failed connections.
@Suite("HTTP exchange")
struct HTTPExchangeTests {
    static func session() -> URLSession {
        URLSession.refusingRedirects(.singlePeerClient(maximumConnectionsPerHost: 2, requestTimeout: 60, resourceTimeout: 60))
    }

    static func request(_ url: String, method: String = "GET", body: String? = nil) -> URLRequest {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpBody = body.map { Data($0.utf8) }
        return request
    }

    @Test func anAnswerBringsItsStatusHeadersAndBody() throws {
        let server = try FaultInjectingServer { _ in .status(201, headers: ["X-Request-Id": "abc"], body: "made it") }
        defer { server.stop() }
        let session = Self.session()
        defer { session.invalidateAndCancel() }
        var request = Self.request(server.url, method: "POST", body: "{\"a\":1}")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")

        guard case .answered(let answer)? = HTTPExchange.send(request, on: session, timeout: 10) else {
            Issue.record("expected an answer")
            return
        }
        #expect(answer.status == 201)
        #expect(answer.header("x-request-id") == "abc")
        #expect(answer.header("X-REQUEST-ID") == "abc")
        #expect(answer.header("Retry-After") == nil)
        #expect(String(decoding: answer.body, as: UTF8.self) == "made it")
        let received = try #require(server.requests.first)
        #expect(received.method == "POST" && received.path == "/hook")
        #expect(received.bodyText == "{\"a\":1}")
        #expect(received.headers["content-type"] == "application/json")
    }

    @Test(arguments: [301, 302, 303, 307, 308])
    func aRedirectIsAnsweredNotFollowed(status: Int) throws {
        let server = try FaultInjectingServer { request in
            request.path == "/hook" ? .status(status, headers: ["Location": "/elsewhere"]) : .status(200, body: "followed")
        }
        defer { server.stop() }
        let session = Self.session()
        defer { session.invalidateAndCancel() }

        guard case .answered(let answer)? = HTTPExchange.send(Self.request(server.url), on: session, timeout: 10) else {
            Issue.record("expected the redirect itself")
            return
        }
        #expect(answer.status == status)
        #expect(answer.header("Location") == "/elsewhere")
        #expect(server.requests.map(\.path) == ["/hook"], "the redirect was not followed")
    }

    @Test func noAnswerWithinTheTimeoutIsNilAndReturnsOnTime() throws {
        let server = try FaultInjectingServer { _ in .hang(seconds: 5) }
        defer { server.stop() }
        let session = Self.session()
        defer { session.invalidateAndCancel() }

        let started = Date()
        let answer = HTTPExchange.send(Self.request(server.url), on: session, timeout: 0.3)
        let waited = Date().timeIntervalSince(started)
        #expect(answer == nil)
        // The wait bounds the exchange: not URLSession's whole-second backstop, nor the server's hang.
        #expect(waited >= 0.3 && waited < 1.2, "waited \(waited) s")
    }

    @Test func aRefusedConnectionIsAFailureWithItsCode() throws {
        let closed = try FaultInjectingServer { _ in .close }
        let port = closed.port
        closed.stop()
        let session = Self.session()
        defer { session.invalidateAndCancel() }

        let answer = HTTPExchange.send(Self.request("http://127.0.0.1:\(port)/hook"), on: session, timeout: 10)
        guard case .failed(let code)? = answer else {
            Issue.record("expected a failure, got \(String(describing: answer))")
            return
        }
        #expect(code == .cannotConnectToHost)
        #expect(HTTPFailure.sentence(code, endpoint: "127.0.0.1:\(port)") == "127.0.0.1:\(port) refused the connection")
    }

    @Test func aConnectionClosedWithoutAnAnswerIsAFailure() throws {
        let server = try FaultInjectingServer { _ in .close }
        defer { server.stop() }
        let session = Self.session()
        defer { session.invalidateAndCancel() }

        let answer = HTTPExchange.send(Self.request(server.url), on: session, timeout: 10)
        guard case .failed = answer else {
            Issue.record("expected a failure, got \(String(describing: answer))")
            return
        }
    }

    @Test func theBackstopNeverFiresBeforeTheWait() {
        // Whole seconds and one more: swift-corelibs-foundation truncates a request's timeout.
        #expect(HTTPExchange.backstop(0.2) == 2)
        #expect(HTTPExchange.backstop(1) == 2)
        #expect(HTTPExchange.backstop(2.5) == 4)
        for timeout in stride(from: 0.05, through: 30, by: 0.35) {
            #expect(HTTPExchange.backstop(timeout).rounded(.down) > timeout)
        }
    }

    @Test func failuresAreSentencesThatNameOnlyTheEndpoint() {
        let codes: [URLError.Code?] = [.timedOut, .cancelled, .cannotConnectToHost, .networkConnectionLost,
                                       .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet,
                                       .secureConnectionFailed, .serverCertificateUntrusted, .badServerResponse,
                                       .unsupportedURL, nil]
        var sentences = Set<String>()
        for code in codes {
            let sentence = HTTPFailure.sentence(code, endpoint: "hooks.example.com:8443")
            #expect(sentence.contains("hooks.example.com:8443"))
            #expect(!sentence.hasSuffix("."), "callers add their own period")
            sentences.insert(sentence)
        }
        #expect(sentences.count == 10, "each kind of failure has its own words")
        #expect(HTTPFailure.sentence(.unsupportedURL, endpoint: "h") == "The request to h failed (URLError \(URLError.Code.unsupportedURL.rawValue))")
    }
}

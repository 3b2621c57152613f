import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// A faulty network between a client and moto: a `FaultInjectingServer` on 127.0.0.1 that, for
/// each request, draws a fault (throttling, 5xx, a hang past the client's timeout, a dropped
/// connection, a refusal for good) or passes the request on to moto and hands back moto's
/// answer, or passes it on and drops the answer (AWS took the call, the client never heard).
/// moto itself cannot be made to fail; with this in front, a test sees AWS's faults *and* moto's
/// real state (queues, findings) afterwards.
///
/// Refusals (403 `AccessDeniedException`, `AuthorizationError` for the query protocol) are drawn
/// only for requests `isDelivery` accepts, so that a test can keep them off calls it does not
/// mean to fail for good (STS's `GetCallerIdentity`, say). After `hold(afterAcceptedDeliveries:)`'s
/// count of delivery calls moto accepted, every request hangs until `release()`: a test kills its
/// client then, with deliveries certainly under way and certainly unfinished.
public final class FaultyAWSProxy: Sendable {
    /// What the proxy does with one request.
    public enum Fault: Sendable, Equatable {
        case pass, passThenClose, throttle, internalError, unavailable, hang, close, refuse
    }

    /// A delivery call moto answered with 2xx and the client received.
    public struct Accepted: Sendable {
        public let path: String
        public let body: [UInt8]
    }

    private struct State {
        var random: SeededRandom
        var script: [Fault]
        var holdAfter: Int?
        var held = false
        var accepted: [Accepted] = []
        var faults: [Fault: Int] = [:]
    }

    private let target: URL
    private let hangSeconds: Double
    private let choices: [(weight: Int, fault: Fault)]
    private let isDelivery: @Sendable (RecordedRequest) -> Bool
    private let state: Mutex<State>
    private let session: URLSession
    /// Created last, since its handler uses the rest; never nil after `init`.
    private nonisolated(unsafe) var server: FaultInjectingServer!

    /// A proxy to `target` (moto's `http://127.0.0.1:PORT`) that meets the first delivery calls
    /// with `script`'s faults in order (so that each is met however few calls a test makes), then
    /// draws from `choices` with `seed`. A hang lasts `hangSeconds`, longer than the client waits.
    public init(target: String, seed: UInt64, script: [Fault] = [], choices: [(weight: Int, fault: Fault)], hangSeconds: Double,
                isDelivery: @escaping @Sendable (RecordedRequest) -> Bool) throws {
        guard let url = URL(string: target), url.host == "127.0.0.1" else { throw ServerError("moto must be on 127.0.0.1") }
        self.target = url
        self.hangSeconds = hangSeconds
        self.choices = choices
        self.isDelivery = isDelivery
        state = Mutex(State(random: SeededRandom(seed: seed), script: script))
        let configuration = URLSessionConfiguration.ephemeral
        configuration.connectionProxyDictionary = [:]  // straight to 127.0.0.1, never through a proxy
        configuration.timeoutIntervalForRequest = 30
        session = URLSession(configuration: configuration)
        server = try FaultInjectingServer { [unowned self] request in answer(request) }
    }

    /// `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL`.
    public var endpoint: String { server.endpoint }

    /// Every request the proxy read, with what it answered.
    public var requests: [RecordedRequest] { server.requests }

    /// The delivery calls moto accepted and whose answer reached the client, in order.
    public var accepted: [Accepted] { state.withLock { $0.accepted } }

    /// How often each fault was drawn.
    public var faultCounts: [Fault: Int] { state.withLock { $0.faults } }

    /// After `count` more accepted delivery calls, every request hangs until `release()`.
    public func hold(afterAcceptedDeliveries count: Int) {
        state.withLock { $0.holdAfter = $0.accepted.count + count }
    }

    /// Whether the hold has begun.
    public var isHolding: Bool { state.withLock { $0.held } }

    /// Ends the hold; faults are drawn again.
    public func release() {
        state.withLock {
            $0.holdAfter = nil
            $0.held = false
        }
    }

    public func stop() {
        server.stop()
        session.invalidateAndCancel()
    }

    private func answer(_ request: RecordedRequest) -> ServerResponse {
        let delivery = isDelivery(request)
        let fault: Fault = state.withLock { state in
            if state.held { return .hang }
            if delivery, !state.script.isEmpty {
                let scripted = state.script.removeFirst()
                state.faults[scripted, default: 0] += 1
                return scripted
            }
            var draw = Int.random(in: 0..<choices.reduce(0) { $0 + $1.weight }, using: &state.random)
            var drawn = choices[choices.count - 1].fault
            for choice in choices {
                if draw < choice.weight {
                    drawn = choice.fault
                    break
                }
                draw -= choice.weight
            }
            if drawn == .refuse && !delivery { drawn = .pass }
            state.faults[drawn, default: 0] += 1
            return drawn
        }
        let query = request.headers["x-amz-target"] == nil && request.headers["content-type"]?.hasPrefix("application/x-www-form-urlencoded") == true
        switch fault {
        case .hang: return .hang(seconds: hangSeconds)
        case .close: return .close
        case .throttle: return Self.error(400, query ? "Throttling" : "ThrottlingException", query: query)
        case .internalError: return Self.error(500, query ? "InternalError" : "InternalFailure", query: query)
        case .unavailable: return .status(503)
        case .refuse: return Self.error(403, query ? "AuthorizationError" : "AccessDeniedException", query: query)
        case .pass, .passThenClose:
            guard let (status, headers, body) = forward(request) else { return .status(502) }
            if fault == .passThenClose { return .close }
            if delivery, (200...299).contains(status) {
                state.withLock { state in
                    state.accepted.append(Accepted(path: request.path, body: request.body))
                    if let limit = state.holdAfter, state.accepted.count >= limit { state.held = true }
                }
            }
            return .status(status, headers: headers, body: body)
        }
    }

    /// An AWS error answer in the query protocol's XML or the JSON protocols' form.
    public static func error(_ status: Int, _ code: String, query: Bool) -> ServerResponse {
        if query {
            return .status(status, headers: ["Content-Type": "text/xml"], body: """
                <ErrorResponse><Error><Type>Sender</Type><Code>\(code)</Code><Message>\(code) from the proxy</Message></Error><RequestId>p</RequestId></ErrorResponse>
                """)
        }
        return .status(status, headers: ["Content-Type": "application/json", "x-amzn-ErrorType": code],
                       body: #"{"__type":"\#(code)","message":"\#(code) from the proxy"}"#)
    }

    /// `request` sent to moto as it came; moto's status, content type and `x-amz*` headers, and body.
    private func forward(_ request: RecordedRequest) -> (Int, [String: String], String)? {
        guard let url = URL(string: request.path, relativeTo: target) else { return nil }
        var forwarded = URLRequest(url: url)
        forwarded.httpMethod = request.method
        for (name, value) in request.headers where !["host", "content-length", "connection", "expect"].contains(name) {
            forwarded.setValue(value, forHTTPHeaderField: name)
        }
        forwarded.httpBody = Data(request.body)
        let answer = Mutex<(Int, [String: String], String)?>(nil)
        let done = DispatchSemaphore(value: 0)
        session.dataTask(with: forwarded) { data, response, error in
            if let response = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (key, value) in response.allHeaderFields {
                    guard let name = key as? String, let value = value as? String else { continue }
                    if name.lowercased() == "content-type" || name.lowercased().hasPrefix("x-amz") { headers[name] = value }
                }
                answer.withLock { $0 = (response.statusCode, headers, String(decoding: data ?? Data(), as: UTF8.self)) }
            }
            done.signal()
        }.resume()
        done.wait()
        return answer.withLock { $0 }
    }
}

import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the metrics server could not be set up or started. Each case reads as a fact.
public enum MetricsServerError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The listen address is not `ADDR:PORT`; `problem` says what is wrong with it.
    case invalidListenAddress(String, problem: String)
    /// Binding or listening on `address` failed; `reason` says why (port in use, no such address, …).
    case cannotListen(address: String, reason: String)
    /// ``MetricsServer/start()`` was called on a server that is already serving.
    case alreadyStarted

    /// A sentence for people.
    public var description: String {
        switch self {
        case .invalidListenAddress(let text, let problem):
            return "metrics listen address '\(text)' is invalid: \(problem); "
                + "expected ADDR:PORT such as 127.0.0.1:9464, [::1]:9464, 0.0.0.0:9464 or :9464"
        case .cannotListen(let address, let reason):
            return "cannot serve metrics on \(address): \(reason)"
        case .alreadyStarted:
            return "the metrics server is already started"
        }
    }

    /// The same sentence, for `localizedDescription`.
    public var errorDescription: String? { description }
}

/// Serves `GET /metrics` (Prometheus text format) and `GET /healthz` over HTTP/1.1 on the address
/// of `--metrics-listen`.
///
/// A deliberately small server: POSIX sockets, one thread of its own, one request per connection
/// (`Connection: close`). It was first built on FlyingFox, which runs on Swift's shared concurrency
/// pool; the synchronous ``start()``/``stop()`` Vigil needs then had to block a thread while pool
/// tasks did the work, and under load (2 cores, so 2 pool threads) the tests stalled for 20 s in 2
/// runs of 40 when both pool threads were the ones waiting. Worse, any blocking work elsewhere in
/// the process would starve `/healthz`. On its own thread the server is independent of the pool:
/// ``start()`` binds on the caller's thread (a port in use is an immediate error), a scrape is
/// answered however busy the pipeline is, and ``start()``/``stop()`` are safe from any thread.
///
/// Connections are served one at a time. A scrape takes well under a millisecond; a client that
/// sends nothing or reads nothing is cut off after ``clientDeadline``, which bounds how long it can
/// hold up the next one.
public final class MetricsServer: Sendable {
    /// The listen address as given, for messages.
    public let listenAddress: String
    /// The IP address to bind, without brackets.
    private let host: String
    /// The port asked for; 0 lets the system choose (tests).
    private let requestedPort: Int
    /// Answers requests.
    private let routes: Routes
    /// The running server, if any, and the port of the last run.
    private let state = Mutex<ServerState>(ServerState())

    private struct ServerState {
        var running: Running?
        var lastPort: Int?
    }

    /// What ``stop()`` needs of a running server.
    private struct Running {
        /// The write end of the pipe that wakes the serving thread to stop.
        let wake: Int32
        /// Signalled by the serving thread once it has closed the listening socket.
        let finished: DispatchSemaphore
        let port: Int
    }

    /// How long one client may take to send its request and to take the reply.
    static let clientDeadline: Duration = .seconds(2)
    /// The most a request head may be; a GET for /metrics is under 1 KiB.
    static let maximumRequestHead = 8_192

    /// Prepares a server; nothing is bound until ``start()``.
    /// - Parameters:
    ///   - listen: `ADDR:PORT`: `"127.0.0.1:9464"`, `"[::1]:9464"`, `"0.0.0.0:9464"`, or `":9464"`
    ///     for all IPv4 interfaces. Port 0 binds a free port (see ``port``).
    ///   - metrics: The metrics `/metrics` renders.
    ///   - health: The check `/healthz` asks.
    /// - Throws: ``MetricsServerError/invalidListenAddress(_:problem:)`` for an address that does not parse.
    public init(listen: String, metrics: VigilMetrics, health: HealthCheck) throws {
        let (host, port) = try Self.parseListenAddress(listen)
        self.listenAddress = listen
        self.host = host
        self.requestedPort = port
        self.routes = Routes(metrics: metrics, health: health)
    }

    deinit {
        stop()
    }

    /// The port being served on: the one the system chose when port 0 was asked for. Before the
    /// first ``start()``, the port asked for; after ``stop()``, the last one served on.
    public var port: Int {
        state.withLock { $0.running?.port ?? $0.lastPort ?? requestedPort }
    }

    /// Binds, listens, and starts serving on a thread of its own. Returns once the socket listens,
    /// so a client may connect as soon as this returns. Callable from any thread.
    /// - Throws: ``MetricsServerError/cannotListen(address:reason:)`` when the address cannot be bound
    ///   (port in use, address not on this machine, privileged port), ``MetricsServerError/alreadyStarted``.
    public func start() throws {
        // The lock is held across bind so that two racing start() calls cannot both bind.
        try state.withLock { state in
            guard state.running == nil else { throw MetricsServerError.alreadyStarted }
            let (listener, port) = try bindAndListen()
            var pipeEnds: [Int32] = [0, 0]
            guard pipe(&pipeEnds) == 0 else {
                let reason = Self.explain(errno)
                close(listener)
                throw MetricsServerError.cannotListen(address: listenAddress, reason: reason)
            }
            Self.closeOnExec(pipeEnds[0])
            Self.closeOnExec(pipeEnds[1])
            let (wakeReadEnd, wakeWriteEnd) = (pipeEnds[0], pipeEnds[1])
            let finished = DispatchSemaphore(value: 0)
            let routes = self.routes
            let thread = Thread {
                Self.serve(listener: listener, wake: wakeReadEnd, routes: routes)
                finished.signal()
            }
            thread.name = "vigil-metrics"
            thread.start()
            state.running = Running(wake: wakeWriteEnd, finished: finished, port: port)
            state.lastPort = port
        }
    }

    /// Stops serving and closes the listening socket, so the port is free when this returns.
    /// Waits at most for the request in progress (bounded by ``clientDeadline``). Does nothing if
    /// the server is not running. Callable from any thread.
    public func stop() {
        guard let running = state.withLock({ state -> Running? in
            defer { state.running = nil }
            return state.running
        }) else { return }
        var byte: UInt8 = 1
        _ = write(running.wake, &byte, 1)
        // Bounded beyond the client deadline so that stop() cannot hang a caller that is shutting down.
        _ = running.finished.wait(timeout: .now() + .seconds(5))
        close(running.wake)
    }

    // MARK: - Socket work

    /// Creates the listening socket on the caller's thread, so failures surface from ``start()``.
    private func bindAndListen() throws -> (socket: Int32, port: Int) {
        let isIPv6 = host.contains(":")
        let listener = socket(isIPv6 ? AF_INET6 : AF_INET, Self.streamType, 0)
        guard listener >= 0 else {
            throw MetricsServerError.cannotListen(address: listenAddress, reason: Self.explain(errno))
        }
        // A server that is stopped and started again must not wait out TIME_WAIT of its old
        // connections; on Linux this does not let two sockets listen on one port.
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        // Child processes (tests start python and moto) must not inherit the port.
        Self.closeOnExec(listener)

        var storage = sockaddr_storage()
        let length: socklen_t
        if isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(requestedPort).bigEndian)
            _ = inet_pton(AF_INET6, host, &address.sin6_addr)
            withUnsafeBytes(of: &address) { bytes in
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: bytes) }
            }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(requestedPort).bigEndian)
            _ = inet_pton(AF_INET, host, &address.sin_addr)
            withUnsafeBytes(of: &address) { bytes in
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: bytes) }
            }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        }
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
        }
        guard bound == 0, listen(listener, 64) == 0 else {
            let reason = Self.explain(errno)
            close(listener)
            throw MetricsServerError.cannotListen(address: listenAddress, reason: reason)
        }

        var actual = sockaddr_storage()
        var actualLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &actualLength) }
        }
        let networkPort = withUnsafeBytes(of: &actual) { bytes -> UInt16 in
            isIPv6
                ? bytes.load(fromByteOffset: MemoryLayout<sockaddr_in6>.offset(of: \.sin6_port)!, as: UInt16.self)
                : bytes.load(fromByteOffset: MemoryLayout<sockaddr_in>.offset(of: \.sin_port)!, as: UInt16.self)
        }
        return (listener, Int(UInt16(bigEndian: networkPort)))
    }

    /// The serving thread: waits for a connection or the wake pipe, answers one connection at a
    /// time, and on wake closes the listening socket (freeing the port) and returns.
    private static func serve(listener: Int32, wake: Int32, routes: Routes) {
        defer {
            close(listener)
            close(wake)
        }
        var watched = [
            pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            watched[0].revents = 0
            watched[1].revents = 0
            let ready = poll(&watched, nfds_t(watched.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return  // poll itself failing leaves nothing to serve with
            }
            if watched[1].revents != 0 { return }
            guard watched[0].revents != 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                // Out of descriptors (EMFILE) would make poll report the listener ready at once,
                // forever: pause instead of spinning a core.
                if errno != EINTR && errno != EAGAIN && errno != ECONNABORTED { usleep(10_000) }
                continue
            }
            closeOnExec(client)
            answer(client, routes: routes)
            close(client)
        }
    }

    /// Reads one request head, writes the reply, and lets the client read it to the end.
    private static func answer(_ client: Int32, routes: Routes) {
        #if canImport(Darwin)
        var yes: Int32 = 1
        setsockopt(client, SOL_SOCKET, SO_NOSIGPIPE, &yes, socklen_t(MemoryLayout<Int32>.size))
        #endif
        let deadline = ContinuousClock.now + clientDeadline
        let reply: Reply
        switch readHead(client, until: deadline) {
        case .head(let requestLine):
            reply = routes.reply(toRequestLine: requestLine)
        case .tooLarge:
            reply = Reply(status: 431, body: "request head too large\n")
        case .unreadable:
            return  // the client went away or sent nothing in time: no one to answer
        }
        guard writeAll(client, reply.encoded(), until: deadline) else { return }
        // Half-close, then drain what the client still sends (a body we did not read), so that
        // closing does not reset the connection before the client has read the reply.
        shutdown(client, Int32(SHUT_WR))
        var scratch = [UInt8](repeating: 0, count: 4_096)
        while wait(client, for: Int16(POLLIN), until: min(deadline, .now + .milliseconds(200))),
              scratch.withUnsafeMutableBytes({ recv(client, $0.baseAddress, $0.count, 0) }) > 0 {}
    }

    /// What reading a request head gave.
    private enum HeadReading {
        /// The request line (`GET /metrics HTTP/1.1`); the headers are not needed.
        case head(requestLine: String)
        case tooLarge
        case unreadable
    }

    private static func readHead(_ client: Int32, until deadline: ContinuousClock.Instant) -> HeadReading {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2_048)
        let endOfHead: [UInt8] = [13, 10, 13, 10]
        while true {
            guard wait(client, for: Int16(POLLIN), until: deadline) else { return .unreadable }
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return .unreadable }
            // Look for the end of the head only where the new bytes could complete it.
            let searchFrom = max(0, received.count - 3)
            received += buffer[..<count]
            if let end = received[searchFrom...].firstRange(of: endOfHead) {
                let head = received[..<end.lowerBound]
                let lineEnd = head.firstIndex(of: 13) ?? head.endIndex
                return .head(requestLine: String(decoding: head[..<lineEnd], as: UTF8.self))
            }
            if received.count > maximumRequestHead { return .tooLarge }
        }
    }

    private static func writeAll(_ client: Int32, _ bytes: [UInt8], until deadline: ContinuousClock.Instant) -> Bool {
        var offset = 0
        while offset < bytes.count {
            guard wait(client, for: Int16(POLLOUT), until: deadline) else { return false }
            let sent = bytes.withUnsafeBytes { buffer in
                // A client that closed early must not kill the process with SIGPIPE.
                send(client, buffer.baseAddress! + offset, buffer.count - offset, Self.noSignal)
            }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// Waits until `client` is ready for `events` or the deadline passes; false on the deadline or an error.
    private static func wait(_ client: Int32, for events: Int16, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { return false }
            let milliseconds = left.components.seconds * 1_000 + left.components.attoseconds / 1_000_000_000_000_000 + 1
            var watched = pollfd(fd: client, events: events, revents: 0)
            let ready = poll(&watched, 1, Int32(milliseconds))
            if ready < 0 && errno == EINTR { continue }
            return ready > 0
        }
    }

    private static func closeOnExec(_ descriptor: Int32) {
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
    }

    #if canImport(Glibc) || canImport(Musl)
    private static let streamType = Int32(SOCK_STREAM.rawValue)
    private static let noSignal = Int32(MSG_NOSIGNAL)
    #else
    private static let streamType = SOCK_STREAM
    private static let noSignal: Int32 = 0  // Darwin uses SO_NOSIGPIPE on the socket instead
    #endif

    /// Turns a socket error number into a reason a user can act on.
    private static func explain(_ code: Int32) -> String {
        switch code {
        case EADDRINUSE:
            return "the port is already in use (another Vigil instance or exporter on it?)"
        case EADDRNOTAVAIL:
            return "the address is not one of this machine's"
        case EACCES:
            return "permission denied (ports below 1024 need privileges)"
        case EAFNOSUPPORT:
            return "this machine does not support that address family (IPv6 disabled?)"
        default:
            return String(cString: strerror(code))
        }
    }

    // MARK: - Listen address

    /// Parses `--metrics-listen`: `"127.0.0.1:9464"`, `"[::1]:9464"`, `"0.0.0.0:9464"`, `":9464"`
    /// (all IPv4 interfaces, returned as `0.0.0.0`) or `"localhost:9464"` (returned as `127.0.0.1`).
    ///
    /// Host names other than `localhost` are refused rather than resolved: a listen address names
    /// an interface of this machine, and a name that resolves differently later would move it.
    /// - Returns: The IP address without brackets and the port, 0…65535.
    /// - Throws: ``MetricsServerError/invalidListenAddress(_:problem:)`` saying what is wrong.
    public static func parseListenAddress(_ text: String) throws -> (host: String, port: Int) {
        func invalid(_ problem: String) -> MetricsServerError {
            .invalidListenAddress(text, problem: problem)
        }
        guard !text.isEmpty else { throw invalid("it is empty") }

        let host: String
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw invalid("the '[' of the IPv6 address is not closed")
            }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw invalid("the port is missing after ']'") }
            portText = rest.dropFirst()
            guard isIPv6(host) else { throw invalid("'\(host)' is not an IPv6 address") }
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw invalid("the port is missing")
            }
            let name = text[..<colon]
            portText = text[text.index(after: colon)...]
            if name.contains(":") {
                throw invalid("an IPv6 address must be in brackets, as in [::1]:9464")
            } else if name.isEmpty {
                host = "0.0.0.0"
            } else if name == "localhost" {
                host = "127.0.0.1"
            } else if isIPv4(String(name)) {
                host = String(name)
            } else {
                throw invalid("'\(name)' is not an IP address (give 127.0.0.1, 0.0.0.0 or [::1], not a host name)")
            }
        }
        guard !portText.isEmpty else { throw invalid("the port is missing") }
        guard portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
              let port = Int(portText), port <= 65_535
        else {
            throw invalid("the port '\(portText)' is not a number from 0 to 65535")
        }
        return (host, port)
    }

    private static func isIPv4(_ text: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1
    }

    private static func isIPv6(_ text: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, text, &address) == 1
    }
}

// MARK: - Routes

/// One HTTP reply, always closing the connection.
struct Reply {
    var status: Int
    var contentType = "text/plain; charset=utf-8"
    var extraHeaders: [(String, String)] = []
    var body: String
    /// A reply to HEAD carries the head only (RFC 9110 §9.3.2), its Content-Length still the body's.
    var omitsBody = false

    func encoded() -> [UInt8] {
        let body = Array(self.body.utf8)
        var head = "HTTP/1.1 \(status) \(Self.phrase(status))\r\n"
        head += "Content-Type: \(contentType)\r\n"
        head += "Content-Length: \(body.count)\r\n"
        for (name, value) in extraHeaders { head += "\(name): \(value)\r\n" }
        // One request per connection keeps the server a loop without connection state.
        head += "Connection: close\r\n\r\n"
        return omitsBody ? Array(head.utf8) : Array(head.utf8) + body
    }

    private static func phrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 431: "Request Header Fields Too Large"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

/// Decides the reply to a request: `GET /metrics`, `GET /healthz`, 404 for other paths, 405 for
/// other methods on those two.
struct Routes: Sendable {
    let metrics: VigilMetrics
    let health: HealthCheck

    /// The Content-Type Prometheus expects for the text format it scrapes.
    static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The reply to a request line such as `GET /metrics?x=1 HTTP/1.1`.
    func reply(toRequestLine line: String) -> Reply {
        let parts = line.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1."), parts[1].hasPrefix("/") else {
            return Reply(status: 400, body: "bad request: expected 'GET /metrics HTTP/1.1'\n")
        }
        let target = parts[1]
        let path = target[..<(target.firstIndex(of: "?") ?? target.endIndex)]
        guard path == "/metrics" || path == "/healthz" else {
            return Reply(status: 404, body: "not found: the endpoints are /metrics and /healthz\n")
        }
        guard parts[0] == "GET" else {
            return Reply(status: 405, extraHeaders: [("Allow", "GET")], body: "method not allowed: use GET\n",
                         omitsBody: parts[0] == "HEAD")
        }
        if path == "/metrics" {
            return Reply(status: 200, contentType: Self.metricsContentType, body: metrics.exposition())
        }
        switch health.status() {
        case .healthy:
            return Reply(status: 200, body: "ok\n")
        case .unhealthy(let reason):
            return Reply(status: 503, body: "unhealthy: \(reason)\n")
        }
    }
}

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
/// Clients are served concurrently by one poll loop over non-blocking sockets (`ServingLoop`), at
/// most ``maximumConnections`` at once: a scrape takes well under a millisecond, and a client that
/// sends nothing or reads nothing costs a slot until its deadline (2 s), never another client's
/// time. A request head is limited to 8,192 bytes (431 past it).
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

    /// Stops serving and closes the listening socket and every client, so the port is free when
    /// this returns. Does nothing if
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
        // A backlog as deep as the connection limit: with 64, a burst of clients while the
        // serving thread waited for a core overflowed it, and each dropped SYN cost its client 1 s.
        guard bound == 0, listen(listener, Int32(Self.maximumConnections)) == 0 else {
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

    static func closeOnExec(_ descriptor: Int32) {
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
    }

    #if canImport(Glibc) || canImport(Musl)
    private static let streamType = Int32(SOCK_STREAM.rawValue)
    #else
    private static let streamType = SOCK_STREAM
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
}

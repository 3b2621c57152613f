#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The metrics server's thread: one poll loop over the listening socket, the wake pipe and every
// client's non-blocking socket. Each client advances as its bytes come and is closed at its own
// deadline, so an idle or slow client costs a slot, never another client's time: with 50 idle
// sockets open, /healthz is answered in milliseconds (it used to wait 2 s for each of them).

extension MetricsServer {
    /// The most clients served at once. A client past it makes room by closing the connection
    /// that has waited longest without sending its request; when every connection is past its
    /// request (writing a reply), new ones wait in the listen backlog until one finishes.
    public static let maximumConnections = 256

    /// Serves until the wake pipe is readable; then closes the listening socket (freeing the
    /// port) and every client, and returns.
    static func serve(listener: Int32, wake: Int32, routes: Routes) {
        var connections: [ClientConnection] = []
        defer {
            for connection in connections { close(connection.socket) }
            close(listener)
            close(wake)
        }
        setNonBlocking(listener)
        var watched: [pollfd] = []
        while true {
            watched.removeAll(keepingCapacity: true)
            let canAccept = connections.count < maximumConnections || connections.contains { $0.isWaitingForRequest }
            // A negative descriptor is skipped by poll: the backlog holds new clients meanwhile.
            watched.append(pollfd(fd: canAccept ? listener : -1, events: Int16(POLLIN), revents: 0))
            watched.append(pollfd(fd: wake, events: Int16(POLLIN), revents: 0))
            for connection in connections {
                watched.append(pollfd(fd: connection.socket, events: connection.events, revents: 0))
            }
            let ready = poll(&watched, nfds_t(watched.count), pollTimeout(until: connections.map(\.closingTime).min()))
            if ready < 0 {
                if errno == EINTR { continue }
                return  // poll itself failing leaves nothing to serve with
            }
            if watched[1].revents != 0 { return }
            var open: [ClientConnection] = []
            open.reserveCapacity(connections.count + 1)
            for (index, var connection) in connections.enumerated() {
                var keep = true
                if watched[index + 2].revents != 0 { keep = connection.advance(routes: routes) }
                if keep && ContinuousClock.now >= connection.closingTime { keep = false }
                if keep { open.append(connection) } else { close(connection.socket) }
            }
            connections = open
            if watched[0].revents != 0 { acceptClients(listener, into: &connections) }
        }
    }

    /// Accepts every client waiting in the backlog, closing the oldest silent connection for each
    /// one past ``maximumConnections``.
    private static func acceptClients(_ listener: Int32, into connections: inout [ClientConnection]) {
        while true {
            if connections.count >= maximumConnections {
                guard let oldest = connections.indices.filter({ connections[$0].isWaitingForRequest })
                    .min(by: { connections[$0].deadline < connections[$1].deadline }) else { return }
                close(connections[oldest].socket)
                connections.remove(at: oldest)
            }
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                // Out of descriptors (EMFILE) would make poll report the listener ready at once,
                // forever: pause instead of spinning a core.
                if errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED { usleep(10_000) }
                return
            }
            closeOnExec(client)
            setNonBlocking(client)
            #if canImport(Darwin)
            var yes: Int32 = 1
            setsockopt(client, SOL_SOCKET, SO_NOSIGPIPE, &yes, socklen_t(MemoryLayout<Int32>.size))
            #endif
            connections.append(ClientConnection(socket: client, acceptedAt: .now))
        }
    }

    /// Milliseconds until `instant` (rounded up, so the loop does not wake just before it), or -1
    /// (no timeout) when there is none.
    private static func pollTimeout(until instant: ContinuousClock.Instant?) -> Int32 {
        guard let instant else { return -1 }
        let left = ContinuousClock.now.duration(to: instant)
        guard left > .zero else { return 0 }
        return Int32(left.components.seconds * 1_000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
    }

    private static func setNonBlocking(_ descriptor: Int32) {
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// One client of the metrics server, start to end: read its request head, write the reply, let it
// read the reply to the end, all within `clientDeadline`.

extension MetricsServer {
    /// How long one client may take to send its request and to take the reply.
    static let clientDeadline: Duration = .seconds(2)
    /// The most a request head may be; a GET for /metrics is under 1 KiB.
    static let maximumRequestHead = 8_192

    /// Reads one request head, writes the reply, and lets the client read it to the end.
    static func answer(_ client: Int32, routes: Routes) {
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

    #if canImport(Glibc) || canImport(Musl)
    private static let noSignal = Int32(MSG_NOSIGNAL)
    #else
    private static let noSignal: Int32 = 0  // Darwin uses SO_NOSIGPIPE on the socket instead
    #endif
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One client of the metrics server, start to end, as a state machine the serving loop drives
/// whenever its non-blocking socket is ready: read the request head, write the reply, then let
/// the client read it to the end, all within ``clientDeadline`` of its accept.
struct ClientConnection {
    /// How long one client may take to send its request and to take the reply.
    static let clientDeadline: Duration = .seconds(2)
    /// The most a request head may be (request line, headers and the blank line); a GET for
    /// /metrics is under 1 KiB. A longer head is answered 431.
    static let maximumRequestHead = 8_192
    /// How long a reply's reader is given to close after the reply, while what it still sends is drained.
    private static let drainTime: Duration = .milliseconds(200)

    let socket: Int32
    /// When the connection is closed whatever its state.
    let deadline: ContinuousClock.Instant
    private var phase: Phase

    private enum Phase {
        /// Reading the request head; what has come so far.
        case reading([UInt8])
        /// Writing the reply; how much of it is sent.
        case writing([UInt8], sent: Int)
        /// The reply is sent and the socket half-closed; what the client still sends is read
        /// and dropped, so that closing does not reset the connection before it read the reply.
        case draining(until: ContinuousClock.Instant)
    }

    init(socket: Int32, acceptedAt now: ContinuousClock.Instant) {
        self.socket = socket
        deadline = now + Self.clientDeadline
        phase = .reading([])
    }

    /// What to poll the socket for.
    var events: Int16 {
        if case .writing = phase { return Int16(POLLOUT) }
        return Int16(POLLIN)
    }

    /// True while the client has not yet sent a whole request: the connection the server closes
    /// first when it has too many.
    var isWaitingForRequest: Bool {
        if case .reading = phase { return true }
        return false
    }

    /// When the connection must be closed if nothing else ends it first.
    var closingTime: ContinuousClock.Instant {
        if case .draining(let until) = phase { return min(until, deadline) }
        return deadline
    }

    /// Does what the ready socket allows; false when the connection is finished and is to be closed.
    mutating func advance(routes: Routes) -> Bool {
        switch phase {
        case .reading(var received):
            var buffer = [UInt8](repeating: 0, count: 2_048)
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 { return errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK }
            let searchFrom = max(0, received.count - 2)
            received += buffer[..<count]
            let head = RequestHead.find(in: received, searchingFrom: searchFrom, endOfInput: count == 0)
            switch head {
            case .incomplete where count == 0:
                return false  // the client went away without a request: no one to answer
            case .incomplete:
                phase = .reading(received)
                return true
            case .tooLarge:
                phase = .writing(Reply(status: 431, body: "request head too large: the limit is \(Self.maximumRequestHead) bytes\n").encoded(), sent: 0)
            case .complete(let requestLine):
                phase = .writing(routes.reply(toRequestLine: requestLine).encoded(), sent: 0)
            }
            return advance(routes: routes)  // the socket is most likely writable already
        case .writing(let reply, var sent):
            let count = reply.withUnsafeBytes { bytes in
                // A client that closed early must not kill the process with SIGPIPE.
                send(socket, bytes.baseAddress! + sent, bytes.count - sent, Self.noSignal)
            }
            if count < 0 { return errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK }
            sent += count
            guard sent == reply.count else {
                phase = .writing(reply, sent: sent)
                return true
            }
            shutdown(socket, Int32(SHUT_WR))
            phase = .draining(until: .now + Self.drainTime)
            return true
        case .draining:
            var scratch = [UInt8](repeating: 0, count: 4_096)
            let count = scratch.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 { return errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK }
            return count > 0
        }
    }

    #if canImport(Glibc) || canImport(Musl)
    private static let noSignal = Int32(MSG_NOSIGNAL)
    #else
    private static let noSignal: Int32 = 0  // Darwin uses SO_NOSIGPIPE on the socket instead
    #endif
}

import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the test server does with one request.
public enum ServerResponse: Sendable, Equatable {
    /// Answers with this status, headers and body, and keeps the connection open.
    case status(Int, headers: [String: String] = [:], body: String = "")
    /// Reads the request, answers nothing for this long (longer than the client's timeout), then
    /// closes the connection.
    case hang(seconds: Double)
    /// Reads the request and closes the connection without answering.
    case close

    public var isAcceptance: Bool {
        if case .status(let code, _, _) = self { return (200...299).contains(code) }
        return false
    }
}

/// One request the server read, and what it did with it.
public struct RecordedRequest: Sendable {
    public let method: String
    /// The path with its query, as sent.
    public let path: String
    /// Header names in lower case.
    public let headers: [String: String]
    public let body: [UInt8]
    public let response: ServerResponse

    public var alertID: String? { headers["webhook-id"] }
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// An HTTP/1.1 server on 127.0.0.1 for tests (a webhook receiver, instance metadata, a container
/// credentials endpoint), written on POSIX sockets and threads so the
/// tests need no networking package: it binds a free port, answers each request as `respond`
/// decides (an answer, a hang past the client's timeout, or a dropped connection), records every
/// request, and stops when told (or when dropped).
public final class FaultInjectingServer: Sendable {
    public let port: UInt16
    private let listener: Int32
    private let respond: @Sendable (RecordedRequest) -> ServerResponse
    private let recorded = Mutex<[RecordedRequest]>([])
    private let connections = Mutex<Set<Int32>>([])
    private let stopping = Atomic<Bool>(false)
    private let threads = DispatchGroup()

    /// `respond` sees each request (its `response` field is a placeholder) and picks the answer.
    public init(respond: @escaping @Sendable (RecordedRequest) -> ServerResponse) throws {
        self.respond = respond
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ServerError("socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0  // the kernel picks a free port; read it back below
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 64) == 0 else {
            close(descriptor)
            throw ServerError("bind/listen: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        listener = descriptor
        port = UInt16(bigEndian: address.sin_port)
        threads.enter()
        Thread { [self] in
            acceptConnections()
            threads.leave()
        }.start()
    }

    /// A server that draws each answer from `faults`.
    public convenience init(faults: RandomFaults) throws {
        try self.init { _ in faults.next() }
    }

    deinit {
        stop()
    }

    /// `http://127.0.0.1:<port>/hook`.
    public var url: String { "http://127.0.0.1:\(port)/hook" }

    /// `http://127.0.0.1:<port>`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Every request read so far, in order of arrival.
    public var requests: [RecordedRequest] {
        recorded.withLock { $0 }
    }

    /// Stops accepting, drops open connections, and waits for every server thread to end.
    public func stop() {
        guard !stopping.exchange(true, ordering: .sequentiallyConsistent) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        connections.withLock { open in
            for connection in open { shutdown(connection, Int32(SHUT_RDWR)) }
        }
        threads.wait()
        close(listener)
    }

    private var isStopping: Bool { stopping.load(ordering: .sequentiallyConsistent) }

    private func acceptConnections() {
        while !isStopping {
            guard waitReadable(listener) else { continue }
            let connection = accept(listener, nil, nil)
            if connection < 0 { continue }
            connections.withLock { _ = $0.insert(connection) }
            threads.enter()
            Thread { [self] in
                serve(connection)
                connections.withLock { _ = $0.remove(connection) }
                close(connection)
                threads.leave()
            }.start()
        }
    }

    /// Waits up to 20 ms for `descriptor` to be readable, so loops notice `stop` promptly.
    private func waitReadable(_ descriptor: Int32) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 20) > 0
    }

    /// Serves requests on one connection until it closes, a fault closes it, or the server stops.
    private func serve(_ connection: Int32) {
        var pending: [UInt8] = []
        while !isStopping {
            guard let request = readRequest(connection, buffer: &pending) else { return }
            let response = respond(request)
            recorded.withLock {
                $0.append(RecordedRequest(method: request.method, path: request.path, headers: request.headers,
                                          body: request.body, response: response))
            }
            switch response {
            case .status(let code, let headers, let body):
                var head = "HTTP/1.1 \(code) Test\r\nContent-Length: \(body.utf8.count)\r\n"
                for (name, value) in headers { head += "\(name): \(value)\r\n" }
                guard send(connection, Array((head + "\r\n" + body).utf8)) else { return }
            case .hang(let seconds):
                let end = Date().addingTimeInterval(seconds)
                while Date() < end && !isStopping { usleep(10_000) }
                return
            case .close:
                return
            }
        }
    }

    /// Reads one request (head and Content-Length body), or nil when the connection ends first.
    private func readRequest(_ connection: Int32, buffer: inout [UInt8]) -> RecordedRequest? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while true {
            if let found = buffer.firstRange(of: separator) {
                headEnd = found.upperBound
                break
            }
            guard receive(connection, into: &buffer) else { return nil }
        }
        guard let headEnd else { return nil }
        let headText = String(decoding: buffer[..<headEnd], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        guard !lines.isEmpty else { return nil }
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        buffer.removeFirst(headEnd)
        if headers["expect"]?.lowercased() == "100-continue" {
            guard send(connection, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return nil }
        }
        let length = headers["content-length"].flatMap { Int($0) } ?? 0
        while buffer.count < length {
            guard receive(connection, into: &buffer) else { return nil }
        }
        let body = Array(buffer[..<length])
        buffer.removeFirst(length)
        return RecordedRequest(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers,
                               body: body, response: .close)
    }

    /// Appends what arrives on `connection`; false when it closed or the server is stopping.
    private func receive(_ connection: Int32, into buffer: inout [UInt8]) -> Bool {
        while !isStopping {
            guard waitReadable(connection) else { continue }
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress!, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            buffer.append(contentsOf: chunk[..<count])
            return true
        }
        return false
    }

    /// Writes all of `bytes`; false when the peer is gone. MSG_NOSIGNAL: a client that hung up
    /// must not kill the test process with SIGPIPE.
    private func send(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes {
                Glibc.send(connection, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL))
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            sent += count
        }
        return true
    }
}

/// Answers drawn at random by weight from a seeded generator, so a failing run can be repeated
/// (the draws are in order of arrival, which threads may vary; the mix stays the same).
public final class RandomFaults: Sendable {
    private let choices: [(weight: Int, response: ServerResponse)]
    private let total: Int
    private let random: Mutex<SeededRandom>

    public init(seed: UInt64, choices: [(weight: Int, response: ServerResponse)]) {
        self.choices = choices
        total = choices.reduce(0) { $0 + $1.weight }
        random = Mutex(SeededRandom(seed: seed))
    }

    public func next() -> ServerResponse {
        var draw = random.withLock { Int.random(in: 0..<total, using: &$0) }
        for choice in choices {
            if draw < choice.weight { return choice.response }
            draw -= choice.weight
        }
        return choices[choices.count - 1].response
    }
}

public struct ServerError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

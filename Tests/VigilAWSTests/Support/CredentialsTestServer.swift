import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An HTTP/1.1 server on 127.0.0.1 and a free port, playing instance metadata or a container
/// credentials endpoint for the credential tests. Written on POSIX sockets and threads (adapted from
/// VigilPipelineTests' FaultInjectingServer) so that the tests need no networking package: it
/// answers each request as `respond` decides, records every request, and stops when told (or when
/// dropped).
final class CredentialsTestServer: Sendable {
    /// One request the server read.
    struct Request: Sendable {
        let method: String
        /// The path with its query, as sent.
        let path: String
        /// Header names in lower case.
        let headers: [String: String]
        let body: [UInt8]

        var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    /// What the server does with one request.
    enum Response: Sendable {
        /// Answers with this status, headers and body, and keeps the connection open.
        case status(Int, headers: [String: String] = [:], body: String = "")
        /// Reads the request and answers nothing for this long, then closes the connection.
        case hang(seconds: Double)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let port: UInt16
    private let listener: Int32
    private let respond: @Sendable (Request) -> Response
    private let recorded = Mutex<[Request]>([])
    private let connections = Mutex<Set<Int32>>([])
    private let stopping = Atomic<Bool>(false)
    private let threads = DispatchGroup()

    init(respond: @escaping @Sendable (Request) -> Response) throws {
        self.respond = respond
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
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
            throw Failure(description: "bind/listen: \(String(cString: strerror(errno)))")
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

    deinit {
        stop()
    }

    /// `http://127.0.0.1:<port>`.
    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Every request read so far, in order of arrival.
    var requests: [Request] {
        recorded.withLock { $0 }
    }

    /// Stops accepting, drops open connections, and waits for every server thread to end.
    func stop() {
        guard !stopping.exchange(true, ordering: .sequentiallyConsistent) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        connections.withLock { open in
            for connection in open { shutdown(connection, Int32(SHUT_RDWR)) }
        }
        threads.wait()
        close(listener)
    }

    /// A port on 127.0.0.1 with nothing listening: bound to port 0, read back, released.
    static func closedPort() throws -> UInt16 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw Failure(description: "no free port on 127.0.0.1") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
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

    /// Serves requests on one connection until it closes, a hang ends it, or the server stops.
    private func serve(_ connection: Int32) {
        var pending: [UInt8] = []
        while !isStopping {
            guard let request = readRequest(connection, buffer: &pending) else { return }
            recorded.withLock { $0.append(request) }
            switch respond(request) {
            case .status(let code, let headers, let body):
                var head = "HTTP/1.1 \(code) Test\r\nContent-Length: \(body.utf8.count)\r\n"
                for (name, value) in headers { head += "\(name): \(value)\r\n" }
                guard send(connection, Array((head + "\r\n" + body).utf8)) else { return }
            case .hang(let seconds):
                let end = Date().addingTimeInterval(seconds)
                while Date() < end && !isStopping { usleep(10_000) }
                return
            }
        }
    }

    /// Reads one request (head and Content-Length body), or nil when the connection ends first.
    private func readRequest(_ connection: Int32, buffer: inout [UInt8]) -> Request? {
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
        return Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
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

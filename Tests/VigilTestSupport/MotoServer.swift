import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A moto server (a Python implementation of the AWS APIs) on 127.0.0.1 and a free port, for
/// tests that talk to S3, SQS and STS as Vigil does in production, with nothing mocked here.
///
/// moto comes from pip (`pip install 'moto[server]'`, which `.ci/run` does). When it is missing,
/// `start()` throws with that instruction: the tests then fail, they do not pass unchecked.
public final class MotoServer: @unchecked Sendable {
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    public let port: Int
    private let process: Process

    /// Starts a server and waits until it answers.
    public init() throws {
        var lastError = "moto did not start"
        for _ in 0..<5 {
            let port = try Self.freePort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)]
            // Where moto's request recorder writes, when a test starts it: a file of this server's own.
            process.environment = ProcessInfo.processInfo.environment.merging(
                ["MOTO_RECORDER_FILEPATH": NSTemporaryDirectory() + "vigil-moto-recording-\(port)-\(UUID().uuidString)"]) { $1 }
            let log = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = log
            try process.run()
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline && process.isRunning {
                if Self.answers(port: port) {
                    self.port = port
                    self.process = process
                    // Keep reading its log so that a full pipe never blocks the server.
                    log.fileHandleForReading.readabilityHandler = { handle in _ = handle.availableData }
                    return
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
            Self.kill(process)
            let output = String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            lastError = output.contains("No module named")
                ? "moto is not installed: pip install 'moto[server]' (it serves S3, SQS and STS to the tests)"
                : "moto did not start on port \(port): \(output.suffix(500))"
        }
        throw Unavailable(description: lastError)
    }

    deinit {
        stop()
    }

    /// `http://127.0.0.1:PORT`
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Kills the server: SIGKILL, because moto's server started from a test process inherits a
    /// signal mask that blocks SIGTERM and would never exit on `terminate()`.
    public func stop() {
        Self.kill(process)
    }

    private static func kill(_ process: Process) {
        if process.isRunning {
            _ = Glibc.kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }

    /// Runs `moto_fixture.py` (boto3) against this server and returns what it printed.
    @discardableResult
    public func fixture(_ arguments: String...) throws -> String {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("moto_fixture.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, endpoint] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let complaint = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Unavailable(description: "moto_fixture.py \(arguments.joined(separator: " ")) failed: "
                                  + String(decoding: complaint, as: UTF8.self).suffix(800))
        }
        return String(decoding: printed, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts moto's request recorder, cleared: from now on moto notes every request it receives.
    public func startRecording() {
        _ = try? fixture("record-start")
    }

    /// The requests moto received since `startRecording()`: each `{"method", "url", "headers", "body", "body_encoded"}`.
    public func recordedRequests() throws -> [[String: Any]] {
        (try JSONSerialization.jsonObject(with: Data(fixture("recorded").utf8)) as? [[String: Any]]) ?? []
    }

    /// A recorded request's body as text (moto keeps bytes in base64).
    public static func recordedBody(_ request: [String: Any]) throws -> String {
        let body = request["body"] as? String ?? ""
        guard request["body_encoded"] as? Bool == true else { return body }
        guard let data = Data(base64Encoded: body) else { throw Unavailable(description: "a recorded body is not base64") }
        return String(decoding: data, as: UTF8.self)
    }

    /// The environment a client of this server needs: moto takes any keys.
    public static let credentialsEnvironment = [
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
    ]

    private static func answers(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return connected == 0
    }

    /// A port the kernel has just handed out on 127.0.0.1 (bound to port 0, then released).
    public static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw Unavailable(description: "no free port on 127.0.0.1") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

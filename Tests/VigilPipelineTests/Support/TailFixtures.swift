import Foundation
import Testing
import VigilTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A scratch setup for running `vigil tail` as a user does: a log directory, one rule alerting on
/// every RDS API call, a state directory and a file sink.
final class TailRun {
    let scratch: URL
    let logs: URL
    let rules: URL
    let state: String
    let alerts: String
    let vigil: URL

    init() throws {
        vigil = try VigilExecutable.url()
        scratch = try PipelineFixtures.temporaryDirectory()
        logs = scratch.appendingPathComponent("logs")
        rules = scratch.appendingPathComponent("rules")
        state = scratch.appendingPathComponent("state").path
        alerts = scratch.appendingPathComponent("alerts.jsonl").path
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try Data(DeliveryFixtures.rdsRule.utf8).write(to: rules.appendingPathComponent("rds.json"))
    }

    deinit {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// Starts `vigil tail` on the log directory with `extra` options, alerts to the file sink.
    func start(_ extra: [String] = [], label: String = "tail") throws -> VigilProcess {
        try VigilProcess(vigil, ["tail", "--rules", rules.path, "--sink", "file:" + alerts, "--state", state,
                                 "--health-interval", "0", "--settle", "2s"] + extra + [logs.path],
                         outputIn: scratch, label: label)
    }

    /// Starts the tail as a user without privileges, for whom file modes count: as nobody through
    /// setpriv(1) when the tests run as root (as CI does), else as the user running the tests.
    func startUnprivileged(label: String = "tail") throws -> VigilProcess {
        let arguments = ["tail", "--rules", rules.path, "--sink", "file:" + alerts, "--state", state,
                         "--health-interval", "0", "--settle", "2s", logs.path]
        guard getuid() == 0 else { return try VigilProcess(vigil, arguments, outputIn: scratch, label: label) }
        for path in [scratch.path, logs.path] { chmod(path, 0o777) }
        return try VigilProcess(URL(fileURLWithPath: "/usr/bin/setpriv"),
                                ["--reuid=65534", "--regid=65534", "--clear-groups", vigil.path] + arguments,
                                outputIn: scratch, label: label)
    }

    /// Waits until the tail says it follows the directories (its first scan starts then).
    func waitUntilFollowing(_ tail: VigilProcess, within seconds: Double = 10) -> Bool {
        Polling.eventually(within: seconds) { tail.errorOutput.contains("following") || !tail.process.isRunning }
            && tail.process.isRunning
    }

    /// The ids of the whole alert lines in the file sink, in order, repeats included.
    func alertIDs() -> [String] {
        guard let text = try? String(contentsOfFile: alerts, encoding: .utf8) else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: true).compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return object["id"] as? String
        }
    }

    /// Lines of the file sink that are not whole alerts (there must be none).
    func brokenAlertLines() -> [String] {
        guard let text = try? String(contentsOfFile: alerts, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init).filter { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) == nil
        }
    }

    /// The alert ids a replay of the log directory gives: what the tail must have sent, each once.
    func expectedIDs() throws -> Set<String> {
        let file = scratch.appendingPathComponent("expected-\(UUID().uuidString).jsonl").path
        let replay = try VigilProcess(vigil, ["replay", "--quiet", "--rules", rules.path, "--sink", "file:" + file,
                                              "--state", scratch.appendingPathComponent("replay-state").path, logs.path],
                                      outputIn: scratch, label: "replay")
        #expect(replay.waitForExit(within: 60) == 0, "\(replay.errorOutput)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        return Set(text.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
        })
    }

    /// `count` CloudTrail records (RDS API calls, so each raises an alert) with event ids from `first`.
    static func records(from first: Int, count: Int) -> [UInt8] {
        var text = ""
        for index in first..<(first + count) {
            text += #"{"eventVersion":"1.08","eventTime":"2026-11-20T10:00:00Z","eventSource":"rds.amazonaws.com","#
                + #""eventName":"DescribeDBInstances","awsRegion":"us-east-1","eventID":"tail-\#(index)","#
                + #""eventType":"AwsApiCall","recipientAccountId":"111122223333"}"# + "\n"
        }
        return Array(text.utf8)
    }

    /// The same records as a CloudTrail log file, `{"Records":[…]}`, gzipped.
    static func gzippedCloudTrailFile(from first: Int, count: Int) throws -> [UInt8] {
        let lines = String(decoding: records(from: first, count: count), as: UTF8.self).split(separator: "\n")
        return try gzip(Array(("{\"Records\":[" + lines.joined(separator: ",") + "]}").utf8))
    }

    /// `bytes` compressed by the system's gzip.
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let writer = Thread {
            input.fileHandleForWriting.write(Data(bytes))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](data)
    }

    /// Writes `bytes` to `url` in `parts` pieces, synced one by one with `pause` seconds between,
    /// as a slow writer or a chunked copy does (the file is incomplete in between).
    static func writeSlowly(_ bytes: [UInt8], to url: URL, parts: Int, pause: Double) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        let size = max(1, (bytes.count + parts - 1) / parts)
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + size)
            try handle.write(contentsOf: Data(bytes[offset..<end]))
            offset = end
            if offset < bytes.count && pause > 0 { usleep(UInt32(pause * 1_000_000)) }
        }
    }

    /// Writes `bytes` under a temporary name in the same directory, then renames it to `url`, as
    /// `aws s3 sync` and rclone do. `hidden`: a dot name the tail never lists.
    static func writeAtomically(_ bytes: [UInt8], to url: URL, hidden: Bool) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(hidden ? ".\(url.lastPathComponent).part" : url.lastPathComponent + ".tmp")
        try Data(bytes).write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}

extension VigilProcess {
    /// How long a stopping tail is given to exit. A stop commits the state database, and closing it
    /// checkpoints its write-ahead log, each with `fdatasync`: 25 ms on a quiet machine, but once
    /// more than 10 s in CI, with the other suites' moto servers and kill tests loading the disk.
    static let stopWithin: Double = 30

    /// Sends `signal` and waits up to `seconds` for the exit status.
    func signal(_ signal: Int32, thenWait seconds: Double = VigilProcess.stopWithin) -> Int32? {
        _ = Glibc.kill(process.processIdentifier, signal)
        return waitForExit(within: seconds)
    }
}

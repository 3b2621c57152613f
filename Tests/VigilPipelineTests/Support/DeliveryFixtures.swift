import Foundation
import VigilTestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Inputs and subprocesses for the delivery tests.
enum DeliveryFixtures {
    /// `count` CloudTrail records as JSON Lines, each a distinct RDS API call (its own `eventID`).
    static func cloudTrailRecords(_ count: Int) -> String {
        (0..<count).map { index in
            #"{"eventVersion":"1.08","eventTime":"2026-11-20T09:\#(String(format: "%02d", index / 60 % 60)):\#(String(format: "%02d", index % 60))Z","#
                + #""eventSource":"rds.amazonaws.com","eventName":"DescribeDBInstances","awsRegion":"us-east-1","#
                + #""eventID":"e2e-\#(index)","eventType":"AwsApiCall","recipientAccountId":"111122223333"}"#
        }.joined(separator: "\n") + "\n"
    }

    /// A rule alerting on every RDS API call.
    static let rdsRule = #"{"name": "e2e-rds-api-call", "severity": "low", "eventPattern": {"source": ["aws.rds"]}}"#
}

/// What every delivery test starts from: a scratch directory holding `records` CloudTrail records
/// and the RDS rule, and the ids of the alerts a plain replay of them into a file gives, which
/// must each arrive or be dead-lettered whatever the sink meets.
struct DeliveryScenario {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let scratch: URL
    let input: URL
    let rules: URL
    let expected: Set<String>

    init(records: Int, vigil: URL, timeout: TimeInterval = 30) throws {
        scratch = try PipelineFixtures.temporaryDirectory()
        input = scratch.appendingPathComponent("cloudtrail.jsonl")
        try Data(DeliveryFixtures.cloudTrailRecords(records).utf8).write(to: input)
        rules = scratch.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try Data(DeliveryFixtures.rdsRule.utf8).write(to: rules.appendingPathComponent("rds.json"))
        let expectedFile = scratch.appendingPathComponent("expected.jsonl")
        let reference = try VigilProcess(vigil, ["replay", "--quiet", "--rules", rules.path, "--sink", "file:" + expectedFile.path,
                                                 "--state", scratch.appendingPathComponent("unused").path, input.path],
                                         outputIn: scratch, label: "reference")
        guard reference.waitForExit(within: timeout) == 0 else { throw Failure(description: "reference run: \(reference.errorOutput)") }
        expected = Set(try Self.objects(inLinesOf: expectedFile.path).compactMap { $0["id"] as? String })
    }

    /// The JSON objects of a JSON Lines file (alerts, dead letters).
    static func objects(inLinesOf path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw Failure(description: "not a JSON object: \(line.prefix(200))")
            }
            return object
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: scratch)
    }
}

/// A `vigil` process, its output kept in files (pipes could fill up and block it).
final class VigilProcess {
    let process = Process()
    let standardOutput: URL
    let standardError: URL

    /// Starts `vigil arguments…` with the environment of the tests minus proxy settings, so that
    /// a request to 127.0.0.1 can never be routed elsewhere.
    /// `environment` is added to the tests' own.
    init(_ executable: URL, _ arguments: [String], outputIn directory: URL, label: String,
         environment: [String: String] = [:], workingDirectory: URL? = nil) throws {
        process.executableURL = executable
        process.arguments = arguments
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasSuffix("_proxy") }
            .merging(environment) { $1 }
        standardOutput = directory.appendingPathComponent("\(label).out")
        standardError = directory.appendingPathComponent("\(label).err")
        _ = FileManager.default.createFile(atPath: standardOutput.path, contents: nil)
        _ = FileManager.default.createFile(atPath: standardError.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: standardOutput)
        process.standardError = try FileHandle(forWritingTo: standardError)
        try process.run()
    }

    /// Waits up to `seconds` for the process to end; kills it and returns nil if it does not.
    func waitForExit(within seconds: Double) -> Int32? {
        guard Polling.eventually(within: seconds, { !process.isRunning }) else {
            kill()
            return nil
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGKILL: no handler runs, no buffer is flushed, as when a machine loses power under it.
    func kill() {
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    var errorOutput: String {
        (try? String(contentsOf: standardError, encoding: .utf8)) ?? ""
    }
}

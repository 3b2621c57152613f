import Foundation
import Testing
import VigilAlerts
import VigilTestSupport

/// AWS sinks pointed at a local server (moto, or a fault-injecting one), with retries of
/// milliseconds so that a test of many retries takes a moment.
enum AWSSinkFixtures {
    static let fastRetries = RetryPolicy(maximumRetryAttempts: 185, maximumEventAge: 3_600, firstRetryDelay: 0.005,
                                         maximumRetryDelay: 0.02)

    /// The environment of a client of `endpoint`: moto's test keys, us-east-1, and every AWS
    /// service's requests sent to `endpoint` (`AWS_ENDPOINT_URL`).
    static func environment(endpoint: String) -> [String: String] {
        MotoServer.credentialsEnvironment.merging(["AWS_ENDPOINT_URL": endpoint, "HOME": NSTemporaryDirectory()]) { $1 }
    }

    /// The sink `specification` names, sending to `endpoint`, its state in `directory`.
    static func sink(_ specification: String, endpoint: String, directory: String, policy: RetryPolicy = fastRetries,
                     concurrency: Int = 2, timeout: Double = 5) throws -> SpooledSink {
        let settings = try AWSSinkSettings(specification: specification, retryPolicy: policy, timeout: timeout,
                                           concurrency: concurrency)
        let factory = SinkFactory(stateDirectory: directory, environment: environment(endpoint: endpoint))
        return try factory.makeAWSSink(named: specification, settings: settings)
    }

    /// Alert number `index` of rule `rule`, as the alerter writes it: an event with an account,
    /// a region and a resource, so that a finding has them.
    static func alert(_ index: Int, rule: String = "iam-root-login", severity: Severity = .high,
                      padding: Int = 0) -> Alert {
        let id = String(repeating: "0", count: 32 - String(index, radix: 16).count) + String(index, radix: 16)
        let extra = padding > 0 ? #","padding":""# + String(repeating: "x", count: padding) + #"""# : ""
        let line = #"{"id":"\#(id)","rule":"\#(rule)","severity":"\#(severity.rawValue)","time":"2026-11-20T09:00:\#(String(format: "%02d", index % 60))Z","source":{"file":"AWSLogs/111122223333/CloudTrail/us-east-1/trail.json.gz","record":\#(index)},"event":{"version":"0","id":"e-\#(index)","detail-type":"AWS Console Sign In via CloudTrail","source":"aws.signin","account":"111122223333","time":"2026-11-20T09:00:00Z","region":"us-east-1","resources":["arn:aws:iam::111122223333:user/u\#(index)"],"detail":{"eventName":"ConsoleLogin"\#(extra)}}}"#
        return Alert(id: id, rule: rule, severity: severity, line: Array(line.utf8) + [0x0A])
    }

    /// The JSON object in `text`.
    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text.prefix(200))")
    }

    /// The JSON array of strings `text` holds (what `moto_fixture.py receive` prints).
    static func strings(_ text: String) throws -> [String] {
        (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]) ?? []
    }

    static func deadLetters(in directory: String) throws -> [DeadLetter] {
        try DeadLetterFile(stateDirectory: directory).readLines().map { try $0.letter.get() }
    }
}

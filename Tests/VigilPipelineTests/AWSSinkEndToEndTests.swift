import Foundation
import Synchronization
import Testing
import VigilTestSupport

/// The delivery promise for AWS sinks, on the built `vigil` binary: under an SNS endpoint that
/// throttles, fails with 5xx, hangs and drops connections at random, and a SIGKILL mid-delivery,
/// every alert is published or dead-lettered, none lost.
@Suite struct AWSSinkEndToEndTests {
    static let topic = "arn:aws:sns:us-east-1:111122223333:alerts"

    /// An SNS error answer.
    static func error(_ status: Int, _ code: String) -> ServerResponse {
        .status(status, body: "<ErrorResponse><Error><Code>\(code)</Code><Message>\(code) here</Message></Error></ErrorResponse>")
    }

    /// The alert id in an SNS Publish request's form-encoded `Message`.
    static func alertID(_ request: RecordedRequest) -> String? {
        guard let start = request.bodyText.range(of: "%22id%22%3A%22") else { return nil }
        return String(request.bodyText[start.upperBound...].prefix(32))
    }

    @Test(.timeLimit(.minutes(1)))
    func underRandomFaultsAndAKillEveryAlertIsPublishedOrDeadLettered() throws {
        let vigil = try VigilExecutable.url()
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("cloudtrail.jsonl")
        try Data(DeliveryFixtures.cloudTrailRecords(300).utf8).write(to: input)
        let rules = scratch.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try Data(DeliveryFixtures.rdsRule.utf8).write(to: rules.appendingPathComponent("rds.json"))

        let expectedFile = scratch.appendingPathComponent("expected.jsonl")
        let reference = try VigilProcess(vigil, ["replay", "--quiet", "--rules", rules.path, "--sink", "file:" + expectedFile.path,
                                                 "--state", scratch.appendingPathComponent("unused").path, input.path],
                                         outputIn: scratch, label: "reference")
        #expect(reference.waitForExit(within: 20) == 0, "\(reference.errorOutput)")
        let expected = Set(try DeliveryEndToEndTests.objects(inLinesOf: expectedFile.path).compactMap { $0["id"] as? String })
        try #require(expected.count == 300)

        // SNS refuses one alert in sixteen for good (an authorization error) and meets the others
        // with faults at random until an attempt gets through.
        let refused = expected.filter { $0.hasPrefix("0") }
        try #require(!refused.isEmpty)
        let published = ServerResponse.status(200, body: "<PublishResponse><PublishResult><MessageId>m</MessageId></PublishResult></PublishResponse>")
        let faults = RandomFaults(seed: 2_026_12_07, choices: [
            (50, published), (6, Self.error(500, "InternalError")), (6, .status(503)), (6, Self.error(400, "Throttling")),
            (4, .hang(seconds: 0.5)), (4, .close),
        ])
        let server = try FaultInjectingServer { request in
            refused.contains(Self.alertID(request) ?? "") ? Self.error(403, "AuthorizationError") : faults.next()
        }
        defer { server.stop() }
        let configuration = scratch.appendingPathComponent("vigil.json")
        try Data("""
            {"sinks": {"topic": {"type": "aws", "target": "sns:\(Self.topic)", "endpointUrl": "\(server.endpoint)",
                                 "timeout": "0.3s", "firstRetryDelay": "0.05s", "maxRetryDelay": "0.2s"}}}
            """.utf8).write(to: configuration)
        let state = scratch.appendingPathComponent("state").path
        let arguments = ["replay", "--config", configuration.path, "--rules", rules.path, "--sink", "topic",
                         "--state", state, input.path]
        let environment = ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1"]
        func accepted() -> [String] {
            server.requests.filter(\.response.isAcceptance).compactMap(Self.alertID)
        }

        let first = try VigilProcess(vigil, arguments, outputIn: scratch, label: "first", environment: environment)
        let underWay = Polling.eventually(within: 15) { Set(accepted()).count >= 40 || !first.process.isRunning }
        first.kill()
        try #require(underWay, "no delivery got through: \(first.errorOutput)")
        try #require(first.process.terminationReason == .uncaughtSignal, "vigil ended before the kill: \(first.errorOutput)")
        #expect(Set(accepted()).count < expected.count - refused.count, "killed mid-delivery")

        let second = try VigilProcess(vigil, arguments, outputIn: scratch, label: "second", environment: environment)
        #expect(second.waitForExit(within: 40) == 1, "exit 1: some alerts were dead-lettered. \(second.errorOutput)")

        let delivered = Set(accepted())
        let letters = try DeliveryEndToEndTests.objects(inLinesOf: state + "/dead-letters.jsonl")
        let deadLettered = Set(letters.compactMap { $0["id"] as? String })
        #expect(delivered.union(deadLettered) == expected, "every alert published or dead-lettered, none missing")
        #expect(delivered == expected.subtracting(refused))
        #expect(deadLettered == refused)
        for letter in letters {
            #expect(letter["ERROR_CODE"] as? String == "AuthorizationError")
            #expect(letter["sink"] as? String == "topic")
            #expect(letter["severity"] as? String == "low")
        }
        #expect(second.errorOutput.contains("delivery topic:"), "the summary reports the sink")
        for fault in [ServerResponse.hang(seconds: 0.5), .close, .status(503), Self.error(400, "Throttling")] {
            #expect(server.requests.contains { $0.response == fault }, "\(fault)")
        }
    }
}

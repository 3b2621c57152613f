import Foundation
import Synchronization
import Testing
import VigilTestSupport

/// The delivery promise for AWS sinks, on the built `vigil` binary: under an SNS endpoint that
/// throttles, fails with 5xx, hangs and drops connections at random, and a SIGKILL mid-delivery,
/// every alert is published or dead-lettered, none lost. The blocking work runs on a thread of
/// its own (`onOwnThread`), off the concurrency pool's few threads.
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

    /// What the runs saw, checked once the blocking work is done (`onOwnThread`).
    struct Observed: Sendable {
        var expected: Set<String> = [], refused: Set<String> = []
        var acceptedAtKill = 0
        var secondStatus: Int32?
        var secondErrors = ""
        var delivered: Set<String> = []
        /// Each dead letter's id, ERROR_CODE, sink and severity.
        var letters: [[String]] = []
        var responses: [ServerResponse] = []
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    @Test(.timeLimit(.minutes(1)))
    func underRandomFaultsAndAKillEveryAlertIsPublishedOrDeadLettered() async throws {
        let seen = try await onOwnThread { try Self.run() }
        #expect(seen.expected.count == 300 && !seen.refused.isEmpty)
        #expect(seen.acceptedAtKill < seen.expected.count - seen.refused.count, "killed mid-delivery")
        #expect(seen.secondStatus == 1, "exit 1: some alerts were dead-lettered. \(seen.secondErrors)")
        let deadLettered = Set(seen.letters.map { $0[0] })
        #expect(seen.delivered.union(deadLettered) == seen.expected, "every alert published or dead-lettered, none missing")
        #expect(seen.delivered == seen.expected.subtracting(seen.refused))
        #expect(deadLettered == seen.refused)
        for letter in seen.letters {
            #expect(letter.dropFirst() == ["AuthorizationError", "topic", "low"], "ERROR_CODE, sink, severity: \(letter)")
        }
        #expect(seen.secondErrors.contains("delivery topic:"), "the summary reports the sink")
        for fault in [ServerResponse.hang(seconds: 0.5), .close, .status(503), Self.error(400, "Throttling")] {
            #expect(seen.responses.contains(fault), "\(fault)")
        }
    }

    static func run() throws -> Observed {
        var seen = Observed()
        let vigil = try VigilExecutable.url()
        let scenario = try DeliveryScenario(records: 300, vigil: vigil)
        defer { scenario.remove() }
        let (scratch, input, rules) = (scenario.scratch, scenario.input, scenario.rules)
        seen.expected = scenario.expected

        // SNS refuses one alert in sixteen for good (an authorization error) and meets the others
        // with faults at random until an attempt gets through.
        let refused = seen.expected.filter { $0.hasPrefix("0") }
        seen.refused = refused
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
        guard underWay, first.process.terminationReason == .uncaughtSignal else {
            throw Failure(description: "no delivery got through, or vigil ended before the kill: \(first.errorOutput)")
        }
        seen.acceptedAtKill = Set(accepted()).count

        let second = try VigilProcess(vigil, arguments, outputIn: scratch, label: "second", environment: environment)
        seen.secondStatus = second.waitForExit(within: 40)
        seen.secondErrors = second.errorOutput
        seen.delivered = Set(accepted())
        seen.letters = try DeliveryScenario.objects(inLinesOf: state + "/dead-letters.jsonl").map { letter in
            ["id", "ERROR_CODE", "sink", "severity"].map { letter[$0] as? String ?? "" }
        }
        seen.responses = server.requests.map(\.response)
        return seen
    }
}

import Foundation
import Testing
import VigilAlerts
import VigilTestSupport

/// The delivery promise for each AWS sink against moto, on the built `vigil` binary: between
/// vigil and moto a proxy throttles, fails with 5xx, hangs, drops connections (before moto saw
/// the call, and after), and refuses some calls for good; vigil is killed with SIGKILL while
/// deliveries are under way and run again. Afterwards every alert is in moto (the SNS topic's
/// subscribed queue, the bus's rule's queue, Security Hub's findings; for Lambda, which moto
/// does not run without docker, the invocations moto accepted) or in the dead-letter file.
@Suite(.serialized) struct AWSSinkMotoEndToEndTests {
    enum Kind: String, CaseIterable, Sendable {
        case sns, eventbridge, lambda, securityhub

        /// Accepted delivery calls before the proxy holds every call and the test kills vigil:
        /// a few, so that most alerts are still to be sent (a Security Hub call takes up to 100).
        var acceptedBeforeKill: Int {
            switch self {
            case .sns, .lambda: 15
            case .eventbridge: 2
            case .securityhub: 1
            }
        }

        /// Alerts to send: enough for several calls of each kind (Security Hub takes 100 a call);
        /// EventBridge's fewer, since moto takes about 2 s for a PutEvents of 10 entries with a
        /// rule sending them to a queue.
        var records: Int {
            switch self {
            case .sns, .lambda: 100
            case .eventbridge: 60
            case .securityhub: 250
            }
        }

        /// How long vigil waits for one call (moto's PutEvents is slow, above).
        var timeout: Double { self == .eventbridge ? 8 : 2 }
    }

    /// A JSON object in `text`.
    static func object(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw Failure(description: "not a JSON object: \(text.prefix(200))")
        }
        return object
    }

    /// The JSON array of strings `text` holds.
    static func strings(_ text: String) throws -> [String] {
        guard let strings = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String] else {
            throw Failure(description: "not a JSON array of strings: \(text.prefix(200))")
        }
        return strings
    }

    /// What one run saw, checked by the test once the blocking work is done (`onOwnThread`).
    struct Observed: Sendable {
        struct Letter: Sendable {
            let id: String, errorCode: String, sink: String
        }

        var expected: Set<String> = []
        var acceptedAtKill = 0, acceptedAtEnd = 0
        var status: Int32?
        var errorOutput = ""
        var letters: [Letter] = []
        /// The alert ids moto holds, and how many records (messages, events, findings) it holds.
        var delivered: Set<String> = []
        var deliveredRecords = 0
        /// For EventBridge: whether every event has source `vigil` and detail-type `Vigil Alert`.
        var eventsWellFormed = true
        var pending = -1
        var faults: [FaultyAWSProxy.Fault: Int] = [:]
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    @Test(.timeLimit(.minutes(3)), arguments: Kind.allCases)
    func everyAlertReachesMotoOrTheDeadLetterFileThroughFaultsAndAKill(kind: Kind) async throws {
        let seen = try await onOwnThread { try Self.run(kind) }
        #expect(seen.expected.count == kind.records)
        let deadLettered = Set(seen.letters.map(\.id))
        #expect(seen.status == (deadLettered.isEmpty ? 0 : 1), "exit 1 exactly when some alert was dead-lettered: \(seen.errorOutput)")
        #expect(seen.delivered.union(deadLettered) == seen.expected, "every alert in moto or dead-lettered, none missing")
        #expect(!seen.delivered.isEmpty)
        #expect(seen.acceptedAtEnd > seen.acceptedAtKill, "the second run delivered what the killed one left")
        for letter in seen.letters {
            #expect(["AuthorizationError", "AccessDeniedException"].contains(letter.errorCode), "\(letter)")
            #expect(letter.sink == "aws")
        }
        #expect(seen.pending == 0, "nothing left in the spool")
        if kind == .securityhub {
            #expect(seen.deliveredRecords == seen.delivered.count, "a repeat updated its finding")
        }
        #expect(seen.eventsWellFormed, "source vigil, detail-type Vigil Alert")
        for fault in [FaultyAWSProxy.Fault.throttle, .internalError, .passThenClose, .unavailable, .close, .hang] {
            #expect(seen.faults[fault, default: 0] > 0, "\(fault) was met")
        }
    }

    /// Sets moto and the proxy up, runs vigil, kills it once deliveries are under way, runs it
    /// again to the end, and reads what moto and the state directory hold.
    static func run(_ kind: Kind) throws -> Observed {
        var seen = Observed()
        let vigil = try VigilExecutable.url()
        let moto = try MotoServer()
        defer { moto.stop() }
        let scenario = try DeliveryScenario(records: kind.records, vigil: vigil)
        defer { scenario.remove() }
        let (scratch, input, rules) = (scenario.scratch, scenario.input, scenario.rules)
        seen.expected = scenario.expected

        let target: String
        var queue = ""
        switch kind {
        case .sns:
            let parts = try moto.fixture("sns-setup", "alerts", "sns-subscriber").split(separator: " ").map(String.init)
            (target, queue) = ("sns:" + parts[0], parts[1])
        case .eventbridge:
            let parts = try moto.fixture("events-setup", "security", "bus-subscriber").split(separator: " ").map(String.init)
            (target, queue) = ("eventbridge:" + parts[0], parts[1])
        case .lambda:
            target = "lambda:" + (try moto.fixture("lambda-setup", "respond"))
        case .securityhub:
            target = "securityhub"
        }

        // STS's GetCallerIdentity (Security Hub's account) meets the passing faults, never a refusal.
        // Each fault is met once first, then drawn at random.
        let proxy = try FaultyAWSProxy(target: moto.endpoint, seed: 2_026_12_07, script: [
            .throttle, .internalError, .passThenClose, .unavailable, .close, .hang,
        ], choices: [
            (55, .pass), (6, .passThenClose), (6, .throttle), (6, .internalError), (5, .unavailable),
            (3, .hang), (4, .close), (3, .refuse),
        ], hangSeconds: kind.timeout + 1, isDelivery: { !$0.bodyText.contains("Action=GetCallerIdentity") })
        defer { proxy.stop() }
        let configuration = scratch.appendingPathComponent("vigil.json")
        try Data("""
            {"sinks": {"aws": {"type": "aws", "target": "\(target)", "timeout": "\(kind.timeout)s", "firstRetryDelay": "0.05s",
                               "maxRetryDelay": "0.2s", "concurrency": 2}}}
            """.utf8).write(to: configuration)
        let state = scratch.appendingPathComponent("state").path
        let arguments = ["replay", "--config", configuration.path, "--rules", rules.path, "--sink", "aws", "--state", state, input.path]
        let environment = MotoServer.credentialsEnvironment.merging(["AWS_ENDPOINT_URL": proxy.endpoint,
                                                                     "AWS_CONFIG_FILE": scratch.appendingPathComponent("none").path,
                                                                     "AWS_SHARED_CREDENTIALS_FILE": scratch.appendingPathComponent("none").path]) { $1 }

        proxy.hold(afterAcceptedDeliveries: kind.acceptedBeforeKill)
        let first = try VigilProcess(vigil, arguments, outputIn: scratch, label: "first", environment: environment)
        let underWay = Polling.eventually(within: 90) { proxy.isHolding || !first.process.isRunning }
        first.kill()
        guard underWay, first.process.terminationReason == .uncaughtSignal else {
            throw Failure(description: "vigil ended before deliveries were under way: \(first.errorOutput)")
        }
        seen.acceptedAtKill = proxy.accepted.count
        proxy.release()

        let second = try VigilProcess(vigil, arguments, outputIn: scratch, label: "second", environment: environment)
        seen.status = second.waitForExit(within: 120)
        seen.errorOutput = second.errorOutput
        seen.acceptedAtEnd = proxy.accepted.count
        seen.faults = proxy.faultCounts

        let deadLetterPath = state + "/dead-letters.jsonl"
        if FileManager.default.fileExists(atPath: deadLetterPath) {
            seen.letters = try DeliveryScenario.objects(inLinesOf: deadLetterPath).map { letter in
                Observed.Letter(id: letter["id"] as? String ?? "", errorCode: letter["ERROR_CODE"] as? String ?? "",
                                sink: letter["sink"] as? String ?? "")
            }
        }
        var ids: [String?] = []
        switch kind {
        case .sns:
            for envelope in try Self.strings(moto.fixture("drain", queue)).map(Self.object) {
                ids.append(try (envelope["Message"] as? String).map(Self.object)?["id"] as? String)
            }
        case .eventbridge:
            for event in try Self.strings(moto.fixture("drain", queue)).map(Self.object) {
                seen.eventsWellFormed = seen.eventsWellFormed && event["source"] as? String == "vigil"
                    && event["detail-type"] as? String == "Vigil Alert"
                ids.append((event["detail"] as? [String: Any])?["id"] as? String)
            }
        case .lambda:
            for call in proxy.accepted where call.path.contains("/invocations") {
                ids.append(try Self.object(String(decoding: call.body, as: UTF8.self))["id"] as? String)
            }
        case .securityhub:
            let findings = try JSONSerialization.jsonObject(with: Data(moto.fixture("findings").utf8)) as? [[String: Any]] ?? []
            ids = findings.map { $0["Id"] as? String }
        }
        guard ids.allSatisfy({ $0 != nil }) else { throw Failure(description: "a record in moto without an alert id") }
        seen.delivered = Set(ids.compactMap { $0 })
        seen.deliveredRecords = ids.count
        seen.pending = try DeliverySpool(database: try StateDatabase(directory: state)).pendingCount()
        return seen
    }
}

import Foundation
import Synchronization
import Testing
import VigilAlerts
import VigilTestSupport

/// AWS sinks against a server that fails as AWS does (throttling, 5xx, refusals of single
/// entries of a batch), which moto cannot be made to do: the same spool, retries and dead letters
/// as webhooks, and, for batch APIs, only the refused entries tried again.
@Suite struct AWSSinkFaultTests {
    static let topic = "arn:aws:sns:us-east-1:111122223333:alerts"

    static let published = ServerResponse.status(200, headers: ["Content-Type": "text/xml"], body: """
        <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>
        """)

    static func snsError(_ status: Int, _ code: String) -> ServerResponse {
        .status(status, headers: ["Content-Type": "text/xml"], body: """
            <ErrorResponse><Error><Type>Sender</Type><Code>\(code)</Code><Message>\(code) for the test</Message></Error><RequestId>r</RequestId></ErrorResponse>
            """)
    }

    /// The alert id in an SNS Publish request's form-encoded `Message`.
    static func publishedAlertID(_ request: RecordedRequest) -> String? {
        let body = request.bodyText
        guard let start = body.range(of: "%22id%22%3A%22") else { return nil }
        return String(body[start.upperBound...].prefix(32))
    }

    @Test func throttlingAnd5xxAreRetriedUntilSNSTakesTheAlert() throws {
        let attempts = Mutex<[String: Int]>([:])
        let server = try FaultInjectingServer { request in
            let id = Self.publishedAlertID(request) ?? ""
            let attempt = attempts.withLock { $0[id, default: 0] += 1; return $0[id]! }
            switch attempt {
            case 1: return Self.snsError(400, "Throttling")
            case 2: return Self.snsError(500, "InternalError")
            case 3: return .status(503)
            default: return Self.published
            }
        }
        defer { server.stop() }
        let scratch = ScratchDirectory()
        let sink = try AWSSinkFixtures.sink("sns:" + Self.topic, endpoint: server.endpoint, directory: scratch.path)
        let alerts = (0..<6).map { AWSSinkFixtures.alert($0) }
        for alert in alerts { try sink.send(alert) }
        try sink.finish()
        #expect(sink.statistics.delivered == 6 && sink.statistics.retried == 18 && sink.statistics.deadLettered == 0)
        #expect(attempts.withLock { $0 } == Dictionary(uniqueKeysWithValues: alerts.map { ($0.id, 4) }))
        // Signed for SNS in the topic's region.
        for request in server.requests {
            #expect(request.headers["authorization"]?.contains("/us-east-1/sns/aws4_request") == true)
            #expect(request.bodyText.hasPrefix("Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3A"))
        }
    }

    @Test func retriesExhaustedAndRefusalsGoToTheDeadLetterFile() throws {
        let refused = AWSSinkFixtures.alert(1)
        let server = try FaultInjectingServer { request in
            Self.publishedAlertID(request) == refused.id ? Self.snsError(400, "AuthorizationError") : Self.snsError(500, "InternalError")
        }
        defer { server.stop() }
        let scratch = ScratchDirectory()
        var policy = AWSSinkFixtures.fastRetries
        policy.maximumRetryAttempts = 2
        let sink = try AWSSinkFixtures.sink("sns:" + Self.topic, endpoint: server.endpoint, directory: scratch.path, policy: policy)
        try sink.send(AWSSinkFixtures.alert(0))
        try sink.send(refused)
        try sink.finish()

        let letters = Dictionary(uniqueKeysWithValues: try AWSSinkFixtures.deadLetters(in: scratch.path).map { ($0.alertID, $0) })
        let exhausted = try #require(letters[AWSSinkFixtures.alert(0).id])
        #expect(exhausted.errorCode == "InternalError")
        #expect(exhausted.exhaustedRetryCondition == .maximumRetryAttempts && exhausted.retryAttempts == 2)
        #expect(exhausted.sink == "sns:" + Self.topic && exhausted.severity == "high")
        let denied = try #require(letters[refused.id])
        #expect(denied.errorCode == "AuthorizationError" && denied.exhaustedRetryCondition == nil && denied.retryAttempts == 0)
        #expect(denied.errorMessage.contains("access denied"))
        #expect(server.requests.count == 4, "three tries of one alert, one of the other")
    }

    @Test func putEventsRetriesOnlyTheEntriesEventBridgeRefused() throws {
        let alerts = (0..<10).map { AWSSinkFixtures.alert($0) }
        let seen = Mutex<Set<String>>([])
        let batches = Mutex<[[String]]>([])
        let server = try FaultInjectingServer { request in
            let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]
            let entries = body?["Entries"] as? [[String: Any]] ?? []
            let ids = entries.map { entry -> String in
                let detail = (try? JSONSerialization.jsonObject(with: Data((entry["Detail"] as? String ?? "").utf8))) as? [String: Any]
                return detail?["id"] as? String ?? ""
            }
            batches.withLock { $0.append(ids) }
            var failed = 0
            let results = ids.map { id -> String in
                let first = seen.withLock { $0.insert(id).inserted }
                if id == alerts[7].id { failed += 1; return #"{"ErrorCode":"MalformedDetail","ErrorMessage":"Detail is malformed."}"# }
                if first && id == alerts[3].id { failed += 1; return #"{"ErrorCode":"ThrottlingException","ErrorMessage":"Rate exceeded"}"# }
                if first && id == alerts[5].id { failed += 1; return #"{"ErrorCode":"InternalFailure","ErrorMessage":"Internal"}"# }
                return #"{"EventId":"ev-\#(id)"}"#
            }
            return .status(200, headers: ["Content-Type": "application/x-amz-json-1.1"],
                           body: #"{"FailedEntryCount":\#(failed),"Entries":[\#(results.joined(separator: ","))]}"#)
        }
        defer { server.stop() }
        let scratch = ScratchDirectory()
        let sink = try AWSSinkFixtures.sink("eventbridge:security", endpoint: server.endpoint, directory: scratch.path, concurrency: 1)
        for alert in alerts { try sink.send(alert) }
        try sink.finish()

        let sent = batches.withLock { $0 }
        #expect(sent.first == alerts.map(\.id), "the ten alerts in one call")
        #expect(Set(sent.dropFirst().joined()) == [alerts[3].id, alerts[5].id], "only the retryable refusals tried again")
        #expect(sink.statistics.delivered == 9 && sink.statistics.deadLettered == 1)
        let letters = try AWSSinkFixtures.deadLetters(in: scratch.path)
        #expect(letters.map(\.alertID) == [alerts[7].id])
        #expect(letters.first?.errorCode == "MalformedDetail" && letters.first?.retryAttempts == 0)
        for request in server.requests {
            #expect(request.headers["x-amz-target"] == "AWSEvents.PutEvents")
            #expect(request.headers["authorization"]?.contains("/us-east-1/events/aws4_request") == true)
        }
    }

    @Test func putEventsSplitsAlertsOver256KiBIntoSeveralCalls() throws {
        let alerts = (0..<4).map { AWSSinkFixtures.alert($0, padding: 100_000) }
        let counts = Mutex<[Int]>([])
        let server = try FaultInjectingServer { request in
            let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]
            let count = (body?["Entries"] as? [Any])?.count ?? 0
            counts.withLock { $0.append(count) }
            let results = Array(repeating: #"{"EventId":"e"}"#, count: count).joined(separator: ",")
            return .status(200, body: #"{"FailedEntryCount":0,"Entries":[\#(results)]}"#)
        }
        defer { server.stop() }
        let scratch = ScratchDirectory()
        let sink = try AWSSinkFixtures.sink("eventbridge:default", endpoint: server.endpoint, directory: scratch.path, concurrency: 1)
        for alert in alerts { try sink.send(alert) }
        try sink.finish()
        #expect(sink.statistics.delivered == 4)
        #expect(counts.withLock { $0 } == [2, 2], "two alerts of ~100 KB fit in 256 KiB, three do not")
    }

    @Test func batchImportFindingsRetriesOnlyTheFindingsSecurityHubRefused() throws {
        let alerts = (0..<5).map { AWSSinkFixtures.alert($0) }
        let seen = Mutex<Set<String>>([])
        let imports = Mutex<[[String]]>([])
        let server = try FaultInjectingServer { request in
            if request.bodyText.contains("Action=GetCallerIdentity") {
                return .status(200, headers: ["Content-Type": "text/xml"], body: """
                    <GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::444455556666:user/v</Arn><UserId>U</UserId><Account>444455556666</Account></GetCallerIdentityResult></GetCallerIdentityResponse>
                    """)
            }
            let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]
            let findings = body?["Findings"] as? [[String: Any]] ?? []
            let ids = findings.map { $0["Id"] as? String ?? "" }
            imports.withLock { $0.append(ids) }
            var failed: [String] = []
            for id in ids {
                let first = seen.withLock { $0.insert(id).inserted }
                if id == alerts[1].id {
                    failed.append(#"{"Id":"\#(id)","ErrorCode":"InvalidInput","ErrorMessage":"Finding is malformed"}"#)
                } else if first && id == alerts[2].id {
                    failed.append(#"{"Id":"\#(id)","ErrorCode":"InternalException","ErrorMessage":"Try again"}"#)
                }
            }
            return .status(200, body: #"{"FailedCount":\#(failed.count),"SuccessCount":\#(ids.count - failed.count),"FailedFindings":[\#(failed.joined(separator: ","))]}"#)
        }
        defer { server.stop() }
        let scratch = ScratchDirectory()
        let sink = try AWSSinkFixtures.sink("securityhub:eu-west-1", endpoint: server.endpoint, directory: scratch.path, concurrency: 1)
        for alert in alerts { try sink.send(alert) }
        try sink.finish()

        let sent = imports.withLock { $0 }
        #expect(sent.first == alerts.map(\.id))
        #expect(Array(sent.dropFirst().joined()) == [alerts[2].id], "only the finding refused for a passing reason, once")
        #expect(sink.statistics.delivered == 4 && sink.statistics.deadLettered == 1)
        #expect(try AWSSinkFixtures.deadLetters(in: scratch.path).map(\.errorCode) == ["InvalidInput"])
        let importRequest = try #require(server.requests.first { $0.path == "/findings/import" })
        #expect(importRequest.headers["authorization"]?.contains("/eu-west-1/securityhub/aws4_request") == true)
        let first = try #require(((try JSONSerialization.jsonObject(with: Data(importRequest.body)) as? [String: Any])?["Findings"] as? [[String: Any]])?.first)
        #expect(first["AwsAccountId"] as? String == "444455556666")
        #expect(first["ProductArn"] as? String == "arn:aws:securityhub:eu-west-1:444455556666:product/444455556666/default")
        #expect(server.requests.filter { $0.bodyText.contains("GetCallerIdentity") }.count == 1, "the account is asked once")
    }

    @Test func aSinkThatDiesMidDeliveryLeavesItsAlertsInTheSpoolAndTheNextOneDeliversThem() throws {
        let scratch = ScratchDirectory()
        let alerts = (0..<20).map { AWSSinkFixtures.alert($0) }
        let down = try FaultInjectingServer { _ in Self.published }
        down.stop()
        do {
            let sink = try AWSSinkFixtures.sink("sns:" + Self.topic, endpoint: down.endpoint, directory: scratch.path)
            for alert in alerts { try sink.send(alert) }
            try sink.flush()
            #expect(Polling.eventually { sink.statistics.retried >= 20 }, "every alert failed at least once")
            // Dropped without finish(), as a killed process would leave it.
        }
        let spool = try DeliverySpool(database: try StateDatabase(directory: scratch.path))
        #expect(try spool.pendingCount(sink: "sns:" + Self.topic) == 20)
        #expect(try spool.pending(sink: "sns:" + Self.topic).allSatisfy { $0.severity == "high" })

        let server = try FaultInjectingServer { _ in Self.published }
        defer { server.stop() }
        let restarted = try AWSSinkFixtures.sink("sns:" + Self.topic, endpoint: server.endpoint, directory: scratch.path)
        try restarted.finish()
        #expect(Set(server.requests.compactMap(Self.publishedAlertID)) == Set(alerts.map(\.id)))
        #expect(try spool.pendingCount() == 0)
    }
}

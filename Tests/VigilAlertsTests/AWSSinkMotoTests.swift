import Foundation
import Testing
import VigilAlerts
import VigilTestSupport

/// Each AWS sink against moto's server (5.2.1), with what moto lets a test see of the result:
/// SNS messages through a subscribed SQS queue, EventBridge events through a rule with an SQS
/// target, Security Hub findings through GetFindings. moto runs no Lambda code without docker:
/// for Lambda the test sees that moto accepted the asynchronous invocation (202) and, through
/// moto's request recorder, what it received; that the function ran, it cannot check.
///
/// The blocking work (moto, the sinks) runs on a thread of its own (`onOwnThread`) and hands
/// back what it saw, so that these tests do not hold the concurrency pool's few threads.
@Suite(.serialized) struct AWSSinkMotoTests {
    @Test func snsPublishesEachAlertWithSeverityAndRuleAttributes() async throws {
        let alerts = (0..<5).map { AWSSinkFixtures.alert($0, severity: $0 == 0 ? .critical : .high) }
        let (topic, statistics, receivedText) = try await onOwnThread {
            let moto = try MotoServer()
            let parts = try moto.fixture("sns-setup", "alerts", "sns-subscriber").split(separator: " ").map(String.init)
            let scratch = ScratchDirectory()
            let sink = try AWSSinkFixtures.sink("sns:" + parts[0], endpoint: moto.endpoint, directory: scratch.path)
            for alert in alerts { try sink.send(alert) }
            try sink.finish()
            return (parts[0], sink.statistics, try moto.fixture("receive", parts[1], "5"))
        }
        #expect(statistics.delivered == 5 && statistics.deadLettered == 0)

        let received = try AWSSinkFixtures.strings(receivedText).map(AWSSinkFixtures.object)
        #expect(received.count == 5)
        var seen: Set<String> = []
        for envelope in received {
            let message = try #require(envelope["Message"] as? String)
            let alert = try #require(alerts.first { String(decoding: $0.body, as: UTF8.self) == message }, "the alert as sent")
            seen.insert(alert.id)
            let attributes = try #require(envelope["MessageAttributes"] as? [String: [String: String]])
            #expect(attributes["severity"] == ["Type": "String", "Value": alert.severity.rawValue])
            #expect(attributes["rule"] == ["Type": "String", "Value": "iam-root-login"])
            #expect(envelope["TopicArn"] as? String == topic)
        }
        #expect(seen == Set(alerts.map(\.id)))
    }

    @Test func anAlertOverSNSsLimitIsDeadLetteredWholeAndTheOthersArePublished() async throws {
        let large = AWSSinkFixtures.alert(1, padding: 300_000)
        let (receivedText, letters) = try await onOwnThread {
            let moto = try MotoServer()
            let parts = try moto.fixture("sns-setup", "alerts", "sns-subscriber").split(separator: " ").map(String.init)
            let scratch = ScratchDirectory()
            let sink = try AWSSinkFixtures.sink("sns:" + parts[0], endpoint: moto.endpoint, directory: scratch.path)
            try sink.send(AWSSinkFixtures.alert(0))
            try sink.send(large)
            try sink.send(AWSSinkFixtures.alert(2))
            try sink.finish()
            return (try moto.fixture("receive", parts[1], "3"), try AWSSinkFixtures.deadLetters(in: scratch.path))
        }

        let received = try AWSSinkFixtures.strings(receivedText)
        #expect(received.count == 2, "the small alerts only")
        #expect(letters.map(\.alertID) == [large.id])
        #expect(letters.first?.errorCode == "PAYLOAD_TOO_LARGE")
        #expect(letters.first?.retryAttempts == 0)
        #expect(letters.first?.body == large.body, "kept whole")
        #expect(letters.first?.severity == "high")
    }

    @Test func eventBridgePutsEachAlertAsAVigilAlertEventInBatches() async throws {
        let alerts = (0..<23).map { AWSSinkFixtures.alert($0) }
        let (statistics, eventsText, putCount) = try await onOwnThread {
            let moto = try MotoServer()
            let parts = try moto.fixture("events-setup", "security", "bus-subscriber").split(separator: " ").map(String.init)
            let scratch = ScratchDirectory()
            moto.startRecording()
            // moto takes 2 to 3 s for a PutEvents of 10 entries with a rule sending them to a queue,
            // more on a loaded machine: a call timed out would be sent again, and the queue would
            // hold repeats (30 events for 23 alerts in a full run with a 5 s timeout).
            let sink = try AWSSinkFixtures.sink("eventbridge:" + parts[0], endpoint: moto.endpoint, directory: scratch.path,
                                                concurrency: 1, timeout: 60)
            for alert in alerts { try sink.send(alert) }
            try sink.finish()
            let puts = try moto.recordedRequests().filter { ($0["headers"] as? [String: String])?["X-Amz-Target"] == "AWSEvents.PutEvents" }
            return (sink.statistics, try moto.fixture("receive", parts[1], "23"), puts.count)
        }
        #expect(statistics.delivered == 23)

        let events = try AWSSinkFixtures.strings(eventsText).map(AWSSinkFixtures.object)
        #expect(events.count == 23)
        var seen: Set<String> = []
        for event in events {
            #expect(event["source"] as? String == "vigil")
            #expect(event["detail-type"] as? String == "Vigil Alert")
            let detail = try #require(event["detail"] as? [String: Any])
            let id = try #require(detail["id"] as? String)
            seen.insert(id)
            let expected = try AWSSinkFixtures.object(String(decoding: try #require(alerts.first { $0.id == id }).body, as: UTF8.self))
            #expect(NSDictionary(dictionary: detail).isEqual(to: expected), "the alert is the detail")
        }
        #expect(seen == Set(alerts.map(\.id)))
        // At most 10 entries a call: 23 alerts take 3 calls or more, never one per alert.
        #expect((3...12).contains(putCount), "\(putCount) PutEvents calls")
    }

    @Test func lambdaIsInvokedAsynchronouslyWithTheAlertAsPayload() async throws {
        let alerts = (0..<3).map { AWSSinkFixtures.alert($0) }
        // What moto recorded of each invocation: its invocation type header, URL and body.
        let (statistics, invocations) = try await onOwnThread { () -> (DeliveryStatistics, [(type: String?, url: String, body: String)]) in
            let moto = try MotoServer()
            let function = try moto.fixture("lambda-setup", "respond")
            moto.startRecording()
            let scratch = ScratchDirectory()
            let sink = try AWSSinkFixtures.sink("lambda:" + function, endpoint: moto.endpoint, directory: scratch.path)
            for alert in alerts { try sink.send(alert) }
            try sink.finish()
            let recorded = try moto.recordedRequests().filter { ($0["url"] as? String)?.contains("/invocations") == true }
            return (sink.statistics, try recorded.map { invocation in
                ((invocation["headers"] as? [String: String])?["X-Amz-Invocation-Type"], invocation["url"] as? String ?? "",
                 try MotoServer.recordedBody(invocation))
            })
        }
        #expect(statistics.delivered == 3 && statistics.deadLettered == 0, "moto answered 202 to each")

        #expect(invocations.count == 3)
        var payloads: Set<String> = []
        for invocation in invocations {
            #expect(invocation.type == "Event")
            #expect(invocation.url.contains("/2015-03-31/functions/"))
            payloads.insert(invocation.body)
        }
        #expect(payloads == Set(alerts.map { String(decoding: $0.body, as: UTF8.self) }))
    }

    @Test func aMissingLambdaFunctionIsDeadLetteredAtOnce() async throws {
        let letters = try await onOwnThread {
            let moto = try MotoServer()
            let scratch = ScratchDirectory()
            let sink = try AWSSinkFixtures.sink("lambda:arn:aws:lambda:us-east-1:123456789012:function:absent",
                                                endpoint: moto.endpoint, directory: scratch.path)
            try sink.send(AWSSinkFixtures.alert(1))
            try sink.finish()
            return try AWSSinkFixtures.deadLetters(in: scratch.path)
        }
        #expect(letters.map(\.errorCode) == ["ResourceNotFoundException"])
        #expect(letters.map(\.retryAttempts) == [0])
        #expect(letters.first?.exhaustedRetryCondition == nil)
    }

    @Test func securityHubImportsEachAlertAsAFindingAndARepeatUpdatesIt() async throws {
        let alerts = (0..<3).map { AWSSinkFixtures.alert($0, severity: $0 == 0 ? .info : .critical) }
        let (statistics, findingsText, afterText) = try await onOwnThread {
            let moto = try MotoServer()
            let first = ScratchDirectory()
            let sink = try AWSSinkFixtures.sink("securityhub", endpoint: moto.endpoint, directory: first.path)
            for alert in alerts { try sink.send(alert) }
            try sink.finish()
            let findings = try moto.fixture("findings")
            // The same alert from another state directory (so not known as delivered), a second
            // later: the finding is updated, not added.
            Thread.sleep(forTimeInterval: 1.1)
            let second = ScratchDirectory()
            let again = try AWSSinkFixtures.sink("securityhub:us-east-1", endpoint: moto.endpoint, directory: second.path)
            try again.send(alerts[0])
            try again.finish()
            return (sink.statistics, findings, try moto.fixture("findings"))
        }
        #expect(statistics.delivered == 3)
        let findings = try (JSONSerialization.jsonObject(with: Data(findingsText.utf8)) as? [[String: Any]]) ?? []
        #expect(findings.count == 3)
        #expect(Set(findings.compactMap { $0["Id"] as? String }) == Set(alerts.map(\.id)))
        let finding = try #require(findings.first { $0["Id"] as? String == alerts[0].id })
        #expect(finding["ProductArn"] as? String == "arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default")
        #expect(finding["AwsAccountId"] as? String == "123456789012", "the caller's account, from STS")
        #expect((finding["Severity"] as? [String: String])?["Label"] == "INFORMATIONAL")
        #expect((finding["ProductFields"] as? [String: String])?["vigil/source/record"] == "0")
        let updatedBefore = try #require(finding["UpdatedAt"] as? String)

        let after = try (JSONSerialization.jsonObject(with: Data(afterText.utf8)) as? [[String: Any]]) ?? []
        #expect(after.count == 3, "updated, not duplicated")
        let updated = try #require(after.first { $0["Id"] as? String == alerts[0].id })
        #expect((updated["UpdatedAt"] as? String ?? "") > updatedBefore)
    }
}

import Foundation
import Synchronization
import Testing
import VigilTestSupport
import VigilAlerts

@Suite struct WebhookSinkTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    func deadLetters(in directory: String) throws -> [DeadLetter] {
        try DeadLetterFile(stateDirectory: directory).readLines().map { try $0.letter.get() }
    }

    @Test func underRandomFailuresTimeoutsAndRateLimitsEveryAlertArrivesOnceByIDOrIsDeadLettered() throws {
        let alerts = (0..<200).map { DeliveryFixtures.alert($0) }
        // Every 16th alert the receiver refuses for good; the others meet faults at random until
        // an attempt gets through. Keeping the two apart makes the expected outcome exact even
        // when a loaded machine turns an answered request into a client timeout (which can only
        // repeat a delivery, and receivers drop repeats by webhook-id).
        let refused = Set(alerts.enumerated().filter { $0.offset % 16 == 5 }.map(\.element.id))
        let faults = RandomFaults(seed: 2_024_05_01, choices: [
            (50, .status(200)),
            (6, .status(500, body: "internal error")),
            (6, .status(503)),
            (5, .status(429, headers: ["Retry-After": "0"])),
            (3, .status(429, headers: ["Retry-After": "Thu, 01 Jan 1970 00:00:00 GMT"])),
            (4, .hang(seconds: 0.5)),
            (6, .close),
        ])
        let server = try FaultInjectingServer { request in
            refused.contains(request.alertID ?? "") ? .status(404, body: "no such hook") : faults.next()
        }
        defer { server.stop() }
        let scratch = ScratchDirectory()
        let sink = try SpooledSink(
            name: "hook",
            configuration: DeliveryFixtures.configuration(url: server.url, timeout: 0.25, secretVariable: "HOOK_SECRET"),
            state: try StateDatabase(directory: scratch.path), environment: ["HOOK_SECRET": Self.secret])
        for (index, alert) in alerts.enumerated() {
            try sink.send(alert)
            if index % 50 == 49 { try sink.flush() }
        }
        try sink.finish()

        let requests = server.requests
        let accepted = Set(requests.filter(\.response.isAcceptance).compactMap(\.alertID))
        let letters = try deadLetters(in: scratch.path)
        #expect(accepted == Set(alerts.map(\.id)).subtracting(refused), "every other alert arrived, none missing")
        #expect(letters.map(\.alertID).sorted() == refused.sorted(), "each refused alert dead-lettered once")
        for letter in letters {
            #expect(letter.errorCode == "HTTP_404")
            #expect(letter.exhaustedRetryCondition == nil)
            #expect(letter.errorMessage.contains("no such hook"))
        }
        // Every kind of fault was exercised, not only the happy path.
        for fault in [ServerResponse.hang(seconds: 0.5), .close, .status(503), .status(500, body: "internal error")] {
            #expect(requests.contains { $0.response == fault }, "\(fault)")
        }
        #expect(requests.contains { if case .status(429, _, _) = $0.response { true } else { false } })
        #expect(try sink.spool.pendingCount(sink: "hook") == 0)

        let statistics = sink.statistics
        #expect(statistics.delivered == alerts.count - refused.count)
        #expect(statistics.deadLettered == refused.count)
        #expect(statistics.retried > 0)

        // Each request is the alert's body, signed as Standard Webhooks specifies.
        let signer = try WebhookSigner(secret: Self.secret)
        let bodies = Dictionary(uniqueKeysWithValues: alerts.map { ($0.id, $0.body) })
        for request in requests {
            let id = try #require(request.alertID)
            let timestamp = try #require(request.headers["webhook-timestamp"].flatMap { Int64($0) })
            #expect(request.method == "POST" && request.path == "/hook")
            #expect(request.body == bodies[id])
            #expect(request.headers["content-type"] == "application/json")
            #expect(request.headers["user-agent"] == "vigil")
            #expect(request.headers["webhook-signature"] == signer.signature(id: id, timestamp: timestamp, body: request.body))
        }
    }

    @Test func a404GoesStraightToTheDeadLetterFileWithoutRetry() throws {
        let server = try FaultInjectingServer { _ in .status(404, body: "unknown hook") }
        defer { server.stop() }
        let scratch = ScratchDirectory()
        let sink = try SpooledSink(name: "hook", configuration: DeliveryFixtures.configuration(url: server.url, concurrency: 2),
                                   state: try StateDatabase(directory: scratch.path))
        let alerts = (1...3).map { DeliveryFixtures.alert($0, rule: "rds-public") }
        for alert in alerts { try sink.send(alert) }
        try sink.finish()

        #expect(server.requests.count == 3)
        #expect(Set(server.requests.compactMap(\.alertID)) == Set(alerts.map(\.id)))
        // Unsigned, but still with the id receivers deduplicate on.
        #expect(server.requests.allSatisfy { $0.headers["webhook-signature"] == nil && $0.headers["webhook-timestamp"] != nil })
        let letters = try deadLetters(in: scratch.path).sorted { $0.alertID < $1.alertID }
        #expect(letters.map(\.alertID) == alerts.map(\.id))
        for (letter, alert) in zip(letters, alerts) {
            #expect(letter.errorCode == "HTTP_404")
            #expect(letter.exhaustedRetryCondition == nil)
            #expect(letter.retryAttempts == 0)
            #expect(letter.rule == "rds-public" && letter.sink == "hook")
            #expect(letter.body == alert.body && letter.contentType == "application/json")
        }
        #expect(sink.statistics.retried == 0 && sink.statistics.deadLettered == 3)
    }

    @Test func aRedirectIsNotFollowedAndIsDeadLettered() throws {
        let server = try FaultInjectingServer { _ in .status(301, headers: ["Location": "/elsewhere"]) }
        defer { server.stop() }
        let scratch = ScratchDirectory()
        let sink = try SpooledSink(name: "hook", configuration: DeliveryFixtures.configuration(url: server.url),
                                   state: try StateDatabase(directory: scratch.path))
        try sink.send(DeliveryFixtures.alert(1))
        try sink.finish()
        #expect(server.requests.map(\.path) == ["/hook"])
        #expect(try deadLetters(in: scratch.path).map(\.errorCode) == ["HTTP_301"])
    }

    @Test func exhaustedRetryAttemptsGoToTheDeadLetterFile() throws {
        let server = try FaultInjectingServer { _ in .status(503) }
        defer { server.stop() }
        let scratch = ScratchDirectory()
        let sink = try SpooledSink(
            name: "hook", configuration: DeliveryFixtures.configuration(url: server.url, maximumRetryAttempts: 3),
            state: try StateDatabase(directory: scratch.path))
        let alerts = [DeliveryFixtures.alert(1), DeliveryFixtures.alert(2)]
        for alert in alerts { try sink.send(alert) }
        try sink.finish()

        for alert in alerts {
            #expect(server.requests.filter { $0.alertID == alert.id }.count == 4, "the first attempt and 3 retries")
        }
        let letters = try deadLetters(in: scratch.path)
        #expect(letters.count == 2)
        for letter in letters {
            #expect(letter.exhaustedRetryCondition == .maximumRetryAttempts)
            #expect(letter.retryAttempts == 3)
            #expect(letter.errorCode == "HTTP_503")
        }
        #expect(sink.statistics.retried == 6 && sink.statistics.deadLettered == 2 && sink.statistics.delivered == 0)
    }

    @Test func aRetryAfterBeyondTheMaximumEventAgeEndsRetrying() throws {
        let server = try FaultInjectingServer { _ in .status(503, headers: ["Retry-After": "3600"]) }
        defer { server.stop() }
        let scratch = ScratchDirectory()
        let sink = try SpooledSink(
            name: "hook", configuration: DeliveryFixtures.configuration(url: server.url, maximumEventAge: 60),
            state: try StateDatabase(directory: scratch.path))
        try sink.send(DeliveryFixtures.alert(1))
        try sink.finish()
        #expect(server.requests.count == 1)
        let letters = try deadLetters(in: scratch.path)
        #expect(letters.map(\.exhaustedRetryCondition) == [.maximumEventAge])
        #expect(letters.map(\.errorCode) == ["HTTP_503"])
        #expect(letters.map(\.retryAttempts) == [0])
    }

    @Test func alertsFoundInTheSpoolPastTheirMaximumAgeAreDeadLetteredUnsent() throws {
        let scratch = ScratchDirectory()
        let spool = try DeliverySpool(database: try StateDatabase(directory: scratch.path))
        try spool.enqueue([PendingDelivery(sink: "hook", alert: DeliveryFixtures.alert(1))],
                          now: Date().addingTimeInterval(-120))
        let server = try FaultInjectingServer { _ in .status(200) }
        defer { server.stop() }
        let sink = try SpooledSink(
            name: "hook", configuration: DeliveryFixtures.configuration(url: server.url, maximumEventAge: 60),
            state: try StateDatabase(directory: scratch.path))
        try sink.finish()
        #expect(server.requests.isEmpty)
        let letters = try deadLetters(in: scratch.path)
        #expect(letters.map(\.errorCode) == ["EVENT_EXPIRED"])
        #expect(letters.map(\.exhaustedRetryCondition) == [.maximumEventAge])
    }

    @Test func aSinkThatDiesLeavesItsAlertsInTheSpoolAndTheNextOneDeliversThem() throws {
        let scratch = ScratchDirectory()
        let alerts = (0..<20).map { DeliveryFixtures.alert($0) }
        // The webhook is down: nothing listens on this port any more.
        let down = try FaultInjectingServer { _ in .status(200) }
        down.stop()
        do {
            let sink = try SpooledSink(name: "hook", configuration: DeliveryFixtures.configuration(url: down.url),
                                       state: try StateDatabase(directory: scratch.path))
            for alert in alerts { try sink.send(alert) }
            try sink.flush()
            #expect(Polling.eventually { sink.statistics.retried >= 20 }, "every alert failed at least once")
            // Dropped without finish(), as a killed process would leave it.
        }
        let spool = try DeliverySpool(database: try StateDatabase(directory: scratch.path))
        #expect(try spool.pendingCount(sink: "hook") == 20)
        #expect(try spool.pending(sink: "hook").allSatisfy { $0.lastError?.hasPrefix("CONNECTION_ERROR") == true })
        #expect(try deadLetters(in: scratch.path).isEmpty)

        let server = try FaultInjectingServer { _ in .status(200) }
        defer { server.stop() }
        let restarted = try SpooledSink(name: "hook", configuration: DeliveryFixtures.configuration(url: server.url),
                                        state: try StateDatabase(directory: scratch.path))
        try restarted.finish()
        #expect(Set(server.requests.compactMap(\.alertID)) == Set(alerts.map(\.id)))
        #expect(restarted.statistics.delivered == 20)

        // The same alerts regenerated by a later run (a replay run again) are not POSTed twice.
        for alert in alerts { try restarted.send(alert) }
        try restarted.finish()
        #expect(server.requests.count == 20)
        #expect(restarted.statistics.alreadyTaken == 20)
    }

    @Test func redriveSendsDeadLettersAgain() throws {
        let status = Mutex(404)
        let server = try FaultInjectingServer { _ in .status(status.withLock { $0 }) }
        defer { server.stop() }
        let scratch = ScratchDirectory()
        let sink = try SpooledSink(name: "hook", configuration: DeliveryFixtures.configuration(url: server.url),
                                   state: try StateDatabase(directory: scratch.path))
        let alerts = (1...4).map { DeliveryFixtures.alert($0) }
        for alert in alerts { try sink.send(alert) }
        try sink.finish()
        #expect(try deadLetters(in: scratch.path).count == 4)

        // The receiver is fixed; the dead letters go out again.
        status.withLock { $0 = 200 }
        let summary = try sink.redriveDeadLetters()
        #expect(summary.respooled == 4)
        try sink.finish()
        let accepted = server.requests.filter(\.response.isAcceptance)
        #expect(Set(accepted.compactMap(\.alertID)) == Set(alerts.map(\.id)))
        #expect(accepted.count == 4)
        #expect(try deadLetters(in: scratch.path).isEmpty)
        #expect(sink.statistics.delivered == 4)
    }

    @Test func twoProcessesOnOneStateDirectoryDeliverEachAlertOnce() throws {
        let server = try FaultInjectingServer { _ in .status(200) }
        defer { server.stop() }
        let scratch = ScratchDirectory()
        // Two databases opened separately share nothing but the file, as two processes would.
        let first = try SpooledSink(name: "hook", configuration: DeliveryFixtures.configuration(url: server.url),
                                    state: try StateDatabase(directory: scratch.path))
        let second = try SpooledSink(name: "hook", configuration: DeliveryFixtures.configuration(url: server.url),
                                     state: try StateDatabase(directory: scratch.path))
        for index in 0..<100 { try first.send(DeliveryFixtures.alert(index)) }
        for index in 50..<150 { try second.send(DeliveryFixtures.alert(index)) }
        try first.flush()
        try second.flush()
        try first.finish()
        try second.finish()
        let ids = server.requests.compactMap(\.alertID)
        #expect(ids.count == 150)
        #expect(Set(ids) == Set((0..<150).map { DeliveryFixtures.alert($0).id }))
    }

    @Test func aMissingSecretVariableIsRefusedWithoutGuessing() throws {
        let scratch = ScratchDirectory()
        do {
            _ = try SpooledSink(name: "hook",
                                configuration: DeliveryFixtures.configuration(url: "http://127.0.0.1:9/", secretVariable: "HOOK_SECRET"),
                                state: try StateDatabase(directory: scratch.path), environment: [:])
            Issue.record("a sink whose secret variable is unset should not start")
        } catch {
            #expect("\(error)".contains("HOOK_SECRET"))
        }
    }
}

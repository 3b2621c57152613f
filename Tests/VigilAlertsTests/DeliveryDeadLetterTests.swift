import Foundation
import Testing
import VigilAlerts

@Suite struct DeliveryDeadLetterTests {
    let failedAt = Date(timeIntervalSince1970: 1_700_000_000.25)

    func letter(id: String = "00000000000000000000000000000001", sink: String = "hook", body: String,
                contentType: String = "application/json", exhausted: ExhaustedRetryCondition? = nil) -> DeadLetter {
        DeadLetter(alertID: id, rule: "rds-public", sink: sink, errorCode: "HTTP_404",
                   errorMessage: "127.0.0.1:9 answered HTTP 404. Its body began: \"no\"", exhaustedRetryCondition: exhausted,
                   retryAttempts: 0, failedAt: failedAt, contentType: contentType, body: Array(body.utf8))
    }

    @Test func aLineHoldsEventBridgesFieldsAndTheBodyAsJSON() throws {
        let line = letter(body: #"{"id":"1","n":[1,2]}"#).jsonLine()
        let text = String(decoding: line, as: UTF8.self)
        #expect(text == #"{"id":"00000000000000000000000000000001","rule":"rds-public","sink":"hook","ERROR_CODE":"HTTP_404","#
            + #""ERROR_MESSAGE":"127.0.0.1:9 answered HTTP 404. Its body began: \"no\"","EXHAUSTED_RETRY_CONDITION":null,"#
            + #""RETRY_ATTEMPTS":0,"failedAt":"2023-11-14T22:13:20.250Z","contentType":"application/json","#
            + #""body":{"id":"1","n":[1,2]}}"# + "\n")
        let parsed = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
        #expect((parsed?["body"] as? [String: Any])?["id"] as? String == "1")
    }

    @Test func theRulesSeverityIsKeptSoThatARedriveSendsItAgain() throws {
        let original = DeadLetter(alertID: "a", rule: "r", sink: "sns:arn:aws:sns:us-east-1:111122223333:t", errorCode: "Throttling",
                                  errorMessage: "m", exhaustedRetryCondition: .maximumRetryAttempts, retryAttempts: 3,
                                  failedAt: failedAt, contentType: "application/json", body: Array("{}".utf8), severity: "critical")
        let line = original.jsonLine()
        #expect(String(decoding: line, as: UTF8.self).hasPrefix(#"{"id":"a","rule":"r","severity":"critical","sink":"#))
        let read = try DeadLetter(jsonLine: line)
        #expect(read.severity == "critical" && read.pendingDelivery.severity == "critical")
        // A line written before severities were kept reads without one.
        #expect(try DeadLetter(jsonLine: letter(body: "{}").jsonLine()).severity == nil)
    }

    @Test func linesReadBackAsTheyWereWritten() throws {
        let letters = [
            letter(body: #"{"id":"1"}"#, exhausted: .maximumRetryAttempts),
            letter(body: "DB snapshot shared publicly\nby \"admin\"", contentType: "text/plain; charset=utf-8",
                   exhausted: .maximumEventAge),
            letter(body: #""a JSON string""#),
            letter(body: "[1, 2,\n 3]"),
        ]
        for original in letters {
            let line = original.jsonLine()
            #expect(line.filter { $0 == 0x0A }.count == 1, "one line each")
            let read = try DeadLetter(jsonLine: Array(line.dropLast()))
            #expect(read.alertID == original.alertID && read.sink == original.sink && read.rule == original.rule)
            #expect(read.errorCode == original.errorCode && read.errorMessage == original.errorMessage)
            #expect(read.exhaustedRetryCondition == original.exhaustedRetryCondition)
            #expect(read.retryAttempts == original.retryAttempts && read.contentType == original.contentType)
            #expect(abs(read.failedAt.timeIntervalSince(original.failedAt)) < 0.001)
            if original.body == Array("[1, 2,\n 3]".utf8) {
                // A pretty-printed JSON body is compacted onto its line: the same value.
                #expect(read.body == Array("[1,2,3]".utf8))
            } else {
                #expect(read.body == original.body)
            }
        }
    }

    @Test func theFileIsPrivateAppendOnlyAndRewrittenWithoutChosenLines() throws {
        let scratch = ScratchDirectory()
        _ = try StateDatabase(directory: scratch.path)
        let file = DeadLetterFile(stateDirectory: scratch.path)
        #expect(try file.readLines().isEmpty)
        try file.append(letter(id: "a", sink: "one", body: "{}"))
        try file.append(letter(id: "b", sink: "two", body: "{}"))
        try file.append(letter(id: "c", sink: "one", body: "{}"))
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(file.path == scratch.path + "/dead-letters.jsonl")

        // A line someone broke by hand is reported and kept, never dropped.
        let handle = try #require(FileHandle(forWritingAtPath: file.path))
        handle.seekToEndOfFile()
        handle.write(Data("not json\n".utf8))
        handle.closeFile()

        let removed = try file.remove(where: { (try? $0.letter.get().sink) == "one" })
        #expect(removed.count == 2)
        let remaining = try file.readLines()
        #expect(remaining.count == 2)
        #expect((try? remaining[0].letter.get().alertID) == "b")
        guard case .failure(let problem) = remaining[1].letter else {
            Issue.record("the broken line should not read as a dead letter")
            return
        }
        #expect(problem.description.contains("Line 2"))
        let after = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((after[.posixPermissions] as? Int) == 0o600)
    }

    @Test func redriveRespoolsTheChosenSinksAndDropsTheirLines() throws {
        let scratch = ScratchDirectory()
        let spool = try DeliverySpool(database: try StateDatabase(directory: scratch.path))
        let file = DeadLetterFile(stateDirectory: scratch.path)
        try file.append(letter(id: "a", sink: "one", body: #"{"a":1}"#))
        try file.append(letter(id: "b", sink: "two", body: #"{"b":1}"#))
        try file.append(letter(id: "a", sink: "one", body: #"{"a":1}"#))  // dead-lettered twice

        let summary = try DeadLetterRedrive.redrive(sinks: ["one"], from: file, into: spool)
        #expect(summary.respooled == 1 && summary.alreadyTaken == 1)
        #expect(try spool.pending(sink: "one").map(\.alertID) == ["a"])
        #expect(try spool.pending(sink: "one").first?.body == Array(#"{"a":1}"#.utf8))
        #expect(try file.readLines().compactMap { try? $0.letter.get().sink } == ["two"])

        let rest = try DeadLetterRedrive.redrive(sinks: nil, from: file, into: spool)
        #expect(rest.respooled == 1)
        #expect(try file.readLines().isEmpty)
        #expect(try spool.pendingCount() == 2)
    }
}

import Foundation
import Testing
import VigilAlerts
import VigilPattern

/// The alerting stage: dedup and threshold windows on event time, and transformed payloads.
@Suite struct AlerterTests {
    static func rule(_ extra: String) throws -> Rule {
        let text = #"{"name":"r","severity":"high","eventPattern":{"source":["aws.ec2"]}"# + extra + "}"
        let directory = try AlertsFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("r.json")
        try Data(text.utf8).write(to: file)
        let loaded = RuleLoader.load(paths: [file.path])
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        return try #require(loaded.rules.first)
    }

    static func match(src: String, at seconds: Double, id: Int) -> Alerter.Match {
        let event = #"{"source":"aws.ec2","detail":{"srcaddr":"\#(src)","dstport":3306}}"#
        return Alerter.Match(event: Array(event.utf8), identity: Array("flow:\(id)".utf8), time: Array("t\(Int(seconds))".utf8),
                             seconds: seconds, file: "f", record: id)
    }

    static func alerter(_ rule: Rule) -> Alerter {
        Alerter(rules: [rule]) { Array("T\(Int($0))".utf8) }
    }

    @Test func thresholdFiresOncePerWindowAndGroup() throws {
        let alerter = Self.alerter(try Self.rule(#","threshold":{"count":3,"window":"60s","groupBy":["$.detail.srcaddr"]}"#))
        var fired: [Int] = []
        // 198.51.100.1: events at 0, 10, 20 (fires), 30 and 50 (silent until 60), 70, 80, 90 (fires again).
        // 203.0.113.9: two events only, never fires.
        let events: [(String, Double)] = [("198.51.100.1", 0), ("203.0.113.9", 5), ("198.51.100.1", 10), ("198.51.100.1", 20),
                                          ("198.51.100.1", 30), ("203.0.113.9", 40), ("198.51.100.1", 50),
                                          ("198.51.100.1", 70), ("198.51.100.1", 80), ("198.51.100.1", 90)]
        for (index, (source, time)) in events.enumerated() {
            if case .alert(let alert) = alerter.decide(ruleIndex: 0, match: Self.match(src: source, at: time, id: index)) {
                fired.append(Int(time))
                let line = String(decoding: alert.line, as: UTF8.self)
                #expect(line.contains(#""threshold":{"count":3,"window":"1m","group":{"$.detail.srcaddr":"198.51.100.1"}"#), "\(line)")
            }
        }
        #expect(fired == [20, 90])
    }

    @Test func eventsSpreadWiderThanTheWindowNeverReachTheThreshold() throws {
        let alerter = Self.alerter(try Self.rule(#","threshold":{"count":3,"window":"60s"}"#))
        for (index, time) in [0.0, 50, 100, 150, 200].enumerated() {
            let decision = alerter.decide(ruleIndex: 0, match: Self.match(src: "a", at: time, id: index))
            if case .alert = decision { Issue.record("no three events lie within 60 s") }
        }
    }

    @Test func dedupSuppressesRepeatsWithinTheWindowByKey() throws {
        let alerter = Self.alerter(try Self.rule(#","dedup":{"keys":["$.detail.srcaddr"],"window":"1h"}"#))
        var outcomes: [String] = []
        for (index, (source, time)) in [("a", 0.0), ("a", 100), ("b", 200), ("a", 3_599), ("a", 3_600)].enumerated() {
            switch alerter.decide(ruleIndex: 0, match: Self.match(src: source, at: time, id: index)) {
            case .alert: outcomes.append("alert")
            case .suppressedByDedup: outcomes.append("dup")
            default: outcomes.append("other")
            }
        }
        #expect(outcomes == ["alert", "dup", "alert", "dup", "alert"])
    }

    @Test func thresholdAlertIDsAreStableAndDistinctFromPlainOnes() throws {
        let rule = try Self.rule(#","threshold":{"count":2,"window":"60s"}"#)
        func ids() -> [String] {
            let alerter = Self.alerter(rule)
            return (0..<4).compactMap { index in
                if case .alert(let alert) = alerter.decide(ruleIndex: 0, match: Self.match(src: "a", at: Double(index) * 100, id: index)) {
                    return alert.id
                }
                return nil
            }
        }
        #expect(ids().isEmpty)  // 100 s apart: never two within 60 s
        let plain = Self.alerter(try Self.rule(""))
        guard case .alert(let alert) = plain.decide(ruleIndex: 0, match: Self.match(src: "a", at: 0, id: 0)) else {
            Issue.record("a rule without policies alerts on every match")
            return
        }
        #expect(alert.id.count == 32)
    }

    @Test func theInputTransformerShapesTheBody() throws {
        let rule = try Self.rule(#","inputTransformer":{"inputPathsMap":{"src":"$.detail.srcaddr"},"inputTemplate":"{\"text\":\"probe from <src>\",\"rule\":<aws.events.rule-name>}"}"#)
        guard case .alert(let alert) = Self.alerter(rule).decide(ruleIndex: 0, match: Self.match(src: "198.51.100.7", at: 0, id: 0)) else {
            Issue.record("expected an alert")
            return
        }
        #expect(String(decoding: alert.body, as: UTF8.self) == #"{"text":"probe from 198.51.100.7","rule":"r"}"#)
        #expect(alert.contentType == "application/json")
        #expect(alert.line.last == 0x0A, "stdout and files still get the alert object")
    }
}

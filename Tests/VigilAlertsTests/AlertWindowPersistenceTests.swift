import Foundation
import Testing
import VigilTestSupport
import VigilAlerts
import VigilPattern

/// Dedup and threshold windows saved and restored: an Alerter rebuilt from what was saved (as a
/// tail is after a crash) decides exactly as one that never stopped.
@Suite struct AlertWindowPersistenceTests {
    /// Rules loaded from rule files, in the order given.
    static func rules(_ texts: [String]) throws -> [Rule] {
        let directory = try AlertsFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for (index, text) in texts.enumerated() {
            let file = directory.appendingPathComponent("rule-\(index).json")
            try Data(text.utf8).write(to: file)
            paths.append(file.path)
        }
        let loaded = RuleLoader.load(paths: paths)
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        return paths.compactMap { path in loaded.rules.first { $0.file == path } }
    }

    static func rule(_ name: String, _ policies: String) -> String {
        #"{"name":"\#(name)","severity":"high","eventPattern":{"source":["aws.ec2"]},\#(policies)}"#
    }

    /// A dedup rule, threshold rules by group, a threshold rule over all events (whose group key
    /// is empty), and a dedup rule keyed by two paths.
    static let ruleTexts = [
        rule("dedup-src", #""dedup":{"keys":["$.detail.srcaddr"],"window":"60s"}"#),
        rule("threshold-src", #""threshold":{"count":3,"window":"60s","groupBy":["$.detail.srcaddr"]}"#),
        rule("threshold-all", #""threshold":{"count":15,"window":"10s"}"#),
        rule("threshold-pair", #""threshold":{"count":2,"window":"60s","groupBy":["$.detail.srcaddr"]}"#),
        rule("dedup-pair", #""dedup":{"keys":["$.detail.srcaddr","$.detail.dstport"],"window":"20s"}"#),
    ]

    static func match(src: String, port: Int, at seconds: Double?, id: Int) -> Alerter.Match {
        let event = #"{"source":"aws.ec2","detail":{"srcaddr":"\#(src)","dstport":\#(port)}}"#
        return Alerter.Match(event: Array(event.utf8), identity: Array("flow:\(id)".utf8),
                             time: Array("t\(seconds.map { String($0) } ?? "-")".utf8), seconds: seconds, file: "f", record: id)
    }

    /// Flow-like events half a second apart, with late arrivals (up to two minutes behind, so
    /// that sweeps change what they come to) and events without a time.
    static func events(count: Int, seed: UInt64) -> [Alerter.Match] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { index in
            var seconds: Double? = 1_700_000_000 + Double(index) * 0.5 + Double(Int.random(in: 0..<8, using: &random)) * 0.125
            let roll = Int.random(in: 0..<100, using: &random)
            if roll < 10 { seconds! -= Double(Int.random(in: 1...240, using: &random)) * 0.5 }
            if roll >= 97 { seconds = nil }
            // Frequent sources, sources seen about once a minute (whose threshold groups a sweep
            // drops or keeps depending on when it runs), and rare ones that sweeps drop for sure.
            let pick = Int.random(in: 0..<100, using: &random)
            let src = pick < 55 ? "198.51.100.\(Int.random(in: 0..<40, using: &random))"
                : pick < 95 ? "192.0.2.\(Int.random(in: 0..<50, using: &random))"
                : "203.0.113.\(Int.random(in: 0..<2_000, using: &random))"
            return match(src: src, port: [22, 80, 443, 3306, 3389][Int.random(in: 0..<5, using: &random)],
                         at: seconds, id: index)
        }
    }

    static func alerter(_ rules: [Rule]) -> Alerter {
        Alerter(rules: rules) { Array("T\($0)".utf8) }
    }

    static func describe(_ decision: Alerter.Decision) -> String {
        switch decision {
        case .alert(let alert): "alert \(alert.id) " + String(decoding: alert.line, as: UTF8.self)
        case .suppressedByDedup: "dedup"
        case .belowThreshold: "below"
        case .silencedByThreshold: "silenced"
        }
    }

    static func apply(_ changes: AlertWindowChanges, to saved: inout [AlertWindowID: AlertWindowRecord]) {
        for id in changes.removed { saved[id] = nil }
        for record in changes.updated { saved[record.id] = record }
    }

    /// Every decision of every rule for every event. Changes are taken every `takeEvery` events
    /// and applied to a saved map; at each split the Alerter is dropped and a new one restored
    /// from that map.
    static func run(_ rules: [Rule], _ events: [Alerter.Match], splits: Set<Int> = [], takeEvery: Int? = nil)
        -> (decisions: [String], saved: [AlertWindowID: AlertWindowRecord]) {
        var alerter = alerter(rules)
        var saved: [AlertWindowID: AlertWindowRecord] = [:]
        var decisions: [String] = []
        for (index, event) in events.enumerated() {
            if splits.contains(index) {
                apply(alerter.takeWindowChanges(), to: &saved)
                alerter = Self.alerter(rules)
                alerter.restoreWindows(Array(saved.values))
            } else if let takeEvery, index % takeEvery == 0 {
                apply(alerter.takeWindowChanges(), to: &saved)
            }
            for ruleIndex in rules.indices {
                decisions.append(describe(alerter.decide(ruleIndex: ruleIndex, match: event)))
            }
        }
        if takeEvery != nil || !splits.isEmpty { apply(alerter.takeWindowChanges(), to: &saved) }
        return (decisions, saved)
    }

    /// The index of the first event whose decisions (one per rule) include an alert of rule `ruleIndex`.
    static func firstAlert(of ruleIndex: Int, in decisions: [String], rules: Int) -> Int? {
        stride(from: ruleIndex, to: decisions.count, by: rules).first { decisions[$0].hasPrefix("alert") }.map { $0 / rules }
    }

    @Test func anAlerterRestoredAtAnySplitDecidesAsOneThatNeverStopped() throws {
        let rules = try Self.rules(Self.ruleTexts)
        #expect(rules.count == Self.ruleTexts.count)
        let events = Self.events(count: 9_000, seed: 7)
        let reference = Self.run(rules, events).decisions
        #expect(reference.contains { $0.hasPrefix("alert") && $0.contains(#""threshold":"#) })
        #expect(reference.contains("dedup") && reference.contains("silenced") && reference.contains("below"))

        let thresholdFired = try #require(Self.firstAlert(of: 1, in: reference, rules: rules.count))
        let allFired = try #require(Self.firstAlert(of: 2, in: reference, rules: rules.count))
        var random = SeededRandom(seed: 11)
        // Right after a threshold fired; just before, at and after the first sweep (every window
        // table sweeps at its 4096th event); and anywhere.
        var splits = [0, 1, thresholdFired + 1, allFired + 1, 4_095, 4_096, 4_097, 4_300, 8_999]
        splits += (0..<4).map { _ in Int.random(in: 1..<events.count, using: &random) }
        for split in splits {
            let restored = Self.run(rules, events, splits: [split], takeEvery: 97)
            let mismatch = zip(reference, restored.decisions).enumerated().first { $0.element.0 != $0.element.1 }
            #expect(mismatch == nil, "split at \(split): first difference at event \((mismatch?.offset ?? 0) / rules.count): \(String(describing: mismatch?.element))")
        }
        // Many restarts in one run, each from what the one before saved.
        let chained = Self.run(rules, events, splits: Set(stride(from: 250, to: events.count, by: 613)), takeEvery: 50)
        #expect(chained.decisions == reference)
    }

    @Test func changesTakenBatchByBatchAddUpToTheWholeState() throws {
        let rules = try Self.rules(Self.ruleTexts)
        let events = Self.events(count: 9_000, seed: 3)
        let incremental = Self.run(rules, events, takeEvery: 61).saved
        // An Alerter asked for its changes for the first time gives all its windows.
        let alerter = Self.alerter(rules)
        for event in events {
            for ruleIndex in rules.indices { _ = alerter.decide(ruleIndex: ruleIndex, match: event) }
        }
        var whole: [AlertWindowID: AlertWindowRecord] = [:]
        Self.apply(alerter.takeWindowChanges(), to: &whole)
        #expect(incremental.count == whole.count)
        #expect(incremental == whole, "swept windows are removed, changed ones rewritten")
        #expect(alerter.takeWindowChanges().isEmpty, "nothing changed since")
        // One window per key, a sweep schedule per table, and the latest event time.
        #expect(whole.keys.contains(AlertWindowID(rule: "threshold-all", kind: .threshold, key: [])))
        #expect(whole.keys.contains(AlertWindowID(rule: "dedup-src", kind: .dedup, key: AlertWindowRecord.sweepScheduleKey)))
        #expect(whole.keys.contains(AlertWindowID(rule: AlertWindowRecord.alerterRule, kind: .dedup, key: [])))
    }

    @Test func onlyTheWindowsAnEventTouchedAreChanged() throws {
        let rules = try Self.rules(Self.ruleTexts)
        let alerter = Self.alerter(rules)
        alerter.restoreWindows([])
        _ = alerter.decide(ruleIndex: 0, match: Self.match(src: "a", port: 22, at: 100, id: 0))
        _ = alerter.decide(ruleIndex: 0, match: Self.match(src: "b", port: 22, at: 101, id: 1))
        var changes = alerter.takeWindowChanges()
        #expect(Set(changes.updated.map(\.id)) == [
            AlertWindowID(rule: "dedup-src", kind: .dedup, key: Array(#""a""#.utf8)),
            AlertWindowID(rule: "dedup-src", kind: .dedup, key: Array(#""b""#.utf8)),
            AlertWindowID(rule: "dedup-src", kind: .dedup, key: AlertWindowRecord.sweepScheduleKey),
            AlertWindowID(rule: AlertWindowRecord.alerterRule, kind: .dedup, key: []),
        ])
        #expect(changes.removed.isEmpty)
        let a = try #require(changes.updated.first { $0.key == Array(#""a""#.utf8) })
        #expect(String(decoding: a.state, as: UTF8.self) == "100.0 0")
        // A repeat of "a" (without a time: it happens at the latest time seen) counts in its window.
        guard case .suppressedByDedup = alerter.decide(ruleIndex: 0, match: Self.match(src: "a", port: 22, at: nil, id: 2)) else {
            Issue.record("a repeat within the window")
            return
        }
        changes = alerter.takeWindowChanges()
        #expect(Set(changes.updated.map(\.id)) == [
            AlertWindowID(rule: "dedup-src", kind: .dedup, key: Array(#""a""#.utf8)),
            AlertWindowID(rule: "dedup-src", kind: .dedup, key: AlertWindowRecord.sweepScheduleKey),
        ])
        #expect(changes.updated.first { $0.key == Array(#""a""#.utf8) }.map { String(decoding: $0.state, as: UTF8.self) } == "100.0 1")
    }

    @Test func theLatestEventTimeIsRestoredForEventsWithoutATime() throws {
        let rules = try Self.rules([Self.ruleTexts[0]])
        let first = Self.alerter(rules)
        _ = first.decide(ruleIndex: 0, match: Self.match(src: "a", port: 22, at: 1_000, id: 0))
        let saved = first.takeWindowChanges().updated
        let second = Self.alerter(rules)
        second.restoreWindows(saved)
        // At the latest time seen (1000) this is a repeat; at time 0 it would precede the window.
        guard case .suppressedByDedup = second.decide(ruleIndex: 0, match: Self.match(src: "a", port: 22, at: nil, id: 1)) else {
            Issue.record("an event without a time happens at the latest time seen before the restart")
            return
        }
    }

    @Test func savedWindowsThatNoLongerApplyAreIgnoredAndForgotten() throws {
        let rules = try Self.rules([Self.ruleTexts[0]])
        let key = Array(#""a""#.utf8)
        let gone = AlertWindowRecord(rule: "deleted-rule", kind: .dedup, key: key, state: Array("100.0 0".utf8))
        let noPolicy = AlertWindowRecord(rule: "dedup-src", kind: .threshold, key: key, state: Array("-inf 100.0".utf8))
        let unreadable = AlertWindowRecord(rule: "dedup-src", kind: .dedup, key: Array(#""b""#.utf8), state: Array("soon".utf8))
        let kept = AlertWindowRecord(rule: "dedup-src", kind: .dedup, key: key, state: Array("100.0 0".utf8))
        let alerter = Self.alerter(rules)
        alerter.restoreWindows([gone, noPolicy, unreadable, kept])
        guard case .suppressedByDedup = alerter.decide(ruleIndex: 0, match: Self.match(src: "a", port: 22, at: 110, id: 0)) else {
            Issue.record("the saved window of a rule that still has it holds")
            return
        }
        guard case .alert = alerter.decide(ruleIndex: 0, match: Self.match(src: "b", port: 22, at: 110, id: 1)) else {
            Issue.record("an unreadable window is no window")
            return
        }
        let changes = alerter.takeWindowChanges()
        #expect(Set(changes.removed) == [gone.id, noPolicy.id, unreadable.id])
        #expect(changes.updated.contains { $0.id == unreadable.id }, "the new window of b replaces the unreadable record")
    }

    @Test func aRuleWhoseWindowChangedKeepsItsSavedWindows() throws {
        let before = try Self.rules([Self.rule("r", #""dedup":{"keys":["$.detail.srcaddr"],"window":"1h"}"#)])
        let after = try Self.rules([Self.rule("r", #""dedup":{"keys":["$.detail.srcaddr"],"window":"2h"}"#)])
        let first = Self.alerter(before)
        _ = first.decide(ruleIndex: 0, match: Self.match(src: "a", port: 22, at: 0, id: 0))
        let second = Self.alerter(after)
        second.restoreWindows(first.takeWindowChanges().updated)
        guard case .suppressedByDedup = second.decide(ruleIndex: 0, match: Self.match(src: "a", port: 22, at: 5_000, id: 1)) else {
            Issue.record("within the new two-hour window of the saved alert")
            return
        }
    }

    @Test func theStoreKeepsWindowsAcrossARestartOfTheDatabase() throws {
        let scratch = ScratchDirectory()
        let rules = try Self.rules(Self.ruleTexts)
        let events = Self.events(count: 6_000, seed: 5)
        let reference = Self.run(rules, events).decisions

        var database = try StateDatabase(directory: scratch.path)
        try database.migrate(AlertWindowStore.migrations)
        var alerter = Self.alerter(rules)
        alerter.restoreWindows(try database.writer.read { db in try AlertWindowStore.load(from: db) })
        var decisions: [String] = []
        for (index, event) in events.enumerated() {
            if index % 500 == 0 {
                let changes = alerter.takeWindowChanges()
                try database.writer.write { db in try AlertWindowStore.save(changes, in: db) }
            }
            if index == 4_321 {
                // A new process: the database opened again, the windows loaded from it.
                database = try StateDatabase(directory: scratch.path)
                try database.migrate(AlertWindowStore.migrations)
                alerter = Self.alerter(rules)
                alerter.restoreWindows(try database.writer.read { db in try AlertWindowStore.load(from: db) })
                #expect(alerter.takeWindowChanges().isEmpty, "what was loaded is what is saved")
                // Replays the events since the last save, as a tail reprocesses its uncommitted batch.
                decisions.removeLast((index - 4_000) * rules.count)
                for replayed in events[4_000..<index] {
                    for ruleIndex in rules.indices { decisions.append(Self.describe(alerter.decide(ruleIndex: ruleIndex, match: replayed))) }
                }
            }
            for ruleIndex in rules.indices { decisions.append(Self.describe(alerter.decide(ruleIndex: ruleIndex, match: event))) }
        }
        #expect(decisions == reference)
    }

    @Test func theStoreRoundTripsRecordsAndDeletesRemovedOnes() throws {
        let scratch = ScratchDirectory()
        let database = try StateDatabase(directory: scratch.path)
        try database.migrate(AlertWindowStore.migrations)
        let records = [
            AlertWindowRecord(rule: "r", kind: .threshold, key: [], state: Array("-inf 1.5 1700000000.125".utf8)),
            AlertWindowRecord(rule: "r", kind: .dedup, key: [], state: Array("0.1 3".utf8)),
            AlertWindowRecord(rule: "r", kind: .dedup, key: AlertWindowRecord.sweepScheduleKey, state: Array("5e-324 4095".utf8)),
            AlertWindowRecord(rule: "r", kind: .dedup, key: Array(#""10.0.0.1"\#u{1F}443"#.utf8) + [0xFF, 0x00], state: Array("2.0 0".utf8)),
            AlertWindowRecord(rule: "", kind: .dedup, key: [], state: Array("1700000000.5".utf8)),
        ]
        try database.writer.write { db in try AlertWindowStore.save(AlertWindowChanges(updated: records), in: db) }
        #expect(Set(try database.writer.read { db in try AlertWindowStore.load(from: db) }) == Set(records))

        var changed = records[1]
        changed.state = Array("0.1 4".utf8)
        try database.writer.write { db in
            try AlertWindowStore.save(AlertWindowChanges(updated: [changed], removed: [records[0].id, records[3].id]), in: db)
        }
        #expect(Set(try database.writer.read { db in try AlertWindowStore.load(from: db) }) == [changed, records[2], records[4]])
    }
}

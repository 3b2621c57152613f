import Foundation
import VigilJSON

/// The alerting stage (ARCHITECTURE.md's Alerter): turns a rule's match into an alert, or into nothing
/// when the rule's `dedup` or `threshold` holds it back, and shapes the webhook payload with the
/// rule's input transformer.
///
/// It keeps the dedup and threshold windows of every rule in memory. A tail that must survive a
/// crash saves them with its checkpoints: `takeWindowChanges()` after each batch gives what to
/// write (`AlertWindowStore.save`), and `restoreWindows(_:)` at start takes back what was saved,
/// after which the same events come to the same decisions and alert ids as in one uninterrupted
/// run. One per pipeline; not thread-safe.
public final class Alerter {
    /// What a match came to.
    public enum Decision {
        case alert(Alert)
        /// A repeat within the rule's dedup window.
        case suppressedByDedup
        /// Counted towards the rule's threshold, which it has not reached.
        case belowThreshold
        /// The group already alerted for this threshold window.
        case silencedByThreshold
    }

    /// A matched event, as the pipeline has it.
    public struct Match: Sendable {
        /// The normalized event's JSON (the envelope).
        public var event: [UInt8]
        /// The event's identity (ARCHITECTURE.md), e.g. `cloudtrail:<eventID>@<account>`.
        public var identity: [UInt8]
        /// The event's `time` as written in the envelope.
        public var time: [UInt8]
        /// The same time in seconds since 1970, when it parses.
        public var seconds: Double?
        public var file: String
        public var record: Int
        /// Where the event's `detail` object starts in `event`, when known (`EnvelopeWriter`
        /// returns it): dedup and threshold keys into the detail are looked up from there.
        public var detailStart: Int?

        public init(event: [UInt8], identity: [UInt8], time: [UInt8], seconds: Double?, file: String, record: Int,
                    detailStart: Int? = nil) {
            self.detailStart = detailStart
            self.event = event
            self.identity = identity
            self.time = time
            self.seconds = seconds
            self.file = file
            self.record = record
        }
    }

    private let rules: [Rule]
    /// Indexed like `rules`, nil for a rule without that policy, and changed in place through
    /// `[i]!`: copying a `DedupWindows` out of a container and storing it back shares its table
    /// while it is changed, so every event copied the whole table (200,000 events over 10,000
    /// keys: 45 s that way, 0.03 s in place, measured with `swiftc -O` on a reduction of this code).
    private var dedup: [DedupWindows?]
    private var thresholds: [ThresholdWindows?]
    /// Rule indices by name, for restoring saved windows.
    private let ruleIndices: [String: Int]
    /// Whether the windows log their changes (see `WindowChangeLog`); from the first
    /// `takeWindowChanges()` or `restoreWindows(_:)` on.
    private var tracksChanges = false
    /// Whether `latestSeconds` moved since the changes were last taken.
    private var latestSecondsChanged = false
    /// Saved records that `restoreWindows` could not use, to be deleted with the next changes.
    private var staleRecords: [AlertWindowID] = []
    /// Writes seconds since 1970 as ISO-8601 (the pipeline's formatter, so every time Vigil
    /// writes looks the same).
    private let formatTime: (Double) -> [UInt8]
    /// For events without a parsable time: the latest time seen, so windows still advance.
    private var latestSeconds = 0.0
    private var extra: [UInt8] = []
    private var key: [UInt8] = []
    /// Each rule's `"rule"` and `"severity"` members as an alert line holds them (indexed like
    /// `rules`), written once rather than per alert.
    private let ruleMembers: [[UInt8]]
    /// The file of the last alert and its JSON string: a file's alerts come one after another.
    private var lastFile = ""
    private var lastQuotedFile = AlertWriter.quotedFile("")

    public init(rules: [Rule], formatTime: @escaping (Double) -> [UInt8]) {
        self.rules = rules
        self.formatTime = formatTime
        ruleMembers = rules.map(AlertWriter.ruleMembers(of:))
        dedup = rules.map { rule in rule.dedup.map(DedupWindows.init(policy:)) }
        thresholds = rules.map { rule in rule.threshold.map(ThresholdWindows.init(policy:)) }
        ruleIndices = Dictionary(rules.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Decides what the match of rule `ruleIndex` (an index into `rules`) comes to.
    public func decide(ruleIndex: Int, match: Match) -> Decision {
        // The rule's fields are read where they lie: a copy of the whole `Rule` retained and
        // released each of its dozen references, per match.
        let seconds = match.seconds ?? latestSeconds
        if seconds > latestSeconds {
            latestSeconds = seconds
            latestSecondsChanged = true
        }
        extra.removeAll(keepingCapacity: true)
        var identity = match.identity
        if let policy = rules[ruleIndex].dedup {
            buildKey(policy.keys, of: match)
            guard dedup[ruleIndex]!.admit(key: key, time: seconds) else { return .suppressedByDedup }
        }
        if let policy = rules[ruleIndex].threshold {
            buildKey(policy.groupBy, of: match)
            switch thresholds[ruleIndex]!.add(group: key, time: seconds) {
            case .counted: return .belowThreshold
            case .silenced: return .silencedByThreshold
            case .reached(let count, let first, let last):
                appendThreshold(policy, count: count, first: first, last: last, of: match)
                // One alert per window and group: its identity is the group and the event that
                // completed the count, so a replay of the same input gives the same id.
                identity = Array("threshold:".utf8) + key + [0] + match.identity
            }
        }
        let name = rules[ruleIndex].name
        let id = identity.withUnsafeBytes { AlertWriter.alertID(rule: name, eventIdentity: $0) }
        if match.file != lastFile {
            lastFile = match.file
            lastQuotedFile = AlertWriter.quotedFile(match.file)
        }
        // A fresh line per alert, sized once: the alert keeps it while the sinks take it.
        var line: [UInt8] = []
        AlertWriter.appendAlert(id: id, ruleMembers: ruleMembers[ruleIndex], time: match.time, quotedFile: lastQuotedFile,
                                record: match.record, extraMembers: extra, event: match.event, to: &line)
        let transformed = rules[ruleIndex].inputTransformer.map { transformer in
            match.event.withUnsafeBytes { event in
                transformer.render(event: event, ruleName: name,
                                   ingestionTime: String(decoding: formatTime(Date().timeIntervalSince1970), as: UTF8.self))
            }
        }
        return .alert(Alert(id: String(decoding: id, as: UTF8.self), rule: name, severity: rules[ruleIndex].severity,
                            line: line, transformed: transformed))
    }

    /// The values of `paths` in the event, as JSON text joined by a unit separator (`null` for a
    /// missing one): equal keys mean equal values.
    private func buildKey(_ paths: [EventPath], of match: Match) {
        key.removeAll(keepingCapacity: true)
        match.event.withUnsafeBytes { bytes in
            for (index, path) in paths.enumerated() {
                if index > 0 { key.append(0x1F) }
                if let range = path.value(in: bytes, detailStart: match.detailStart) {
                    key.append(contentsOf: bytes[range])
                } else {
                    key.append(utf8: "null")
                }
            }
        }
    }

    private func appendThreshold(_ policy: ThresholdPolicy, count: Int, first: Double, last: Double, of match: Match) {
        extra.append(utf8: #","threshold":{"count":"#)
        extra.append(contentsOf: String(count).utf8)
        extra.append(utf8: #","window":""#)
        extra.append(contentsOf: policy.window.description.utf8)
        extra.append(utf8: #"","group":{"#)
        match.event.withUnsafeBytes { bytes in
            for (index, path) in policy.groupBy.enumerated() {
                if index > 0 { extra.append(UInt8(ascii: ",")) }
                JSONText.appendQuoted(Array(path.text.utf8), to: &extra)
                extra.append(UInt8(ascii: ":"))
                if let range = path.value(in: bytes, detailStart: match.detailStart) {
                    JSONText.appendCompacted(UnsafeRawBufferPointer(rebasing: bytes[range]), to: &extra)
                } else {
                    extra.append(utf8: "null")
                }
            }
        }
        extra.append(utf8: #"},"firstTime":"#)
        JSONText.appendQuoted(formatTime(first), to: &extra)
        extra.append(utf8: #","lastTime":"#)
        JSONText.appendQuoted(formatTime(last), to: &extra)
        extra.append(UInt8(ascii: "}"))
    }
}

// MARK: - Saving and restoring the windows

extension Alerter {
    /// The windows changed (opened, counted, silenced, swept away) since the last call, with the
    /// sweep schedules and the latest event time (see `AlertWindowRecord`); clears the record of
    /// changes. Applying the result to what was saved before gives the current state.
    ///
    /// Changes are logged from the first call of this or `restoreWindows(_:)` on, so that a run
    /// that never saves pays nothing for it. The first call therefore returns every window, which
    /// is right when nothing was saved before; a run that saves to a store that may hold records
    /// restores them (even none) before its first call.
    public func takeWindowChanges() -> AlertWindowChanges {
        var changes = AlertWindowChanges(updated: [], removed: staleRecords)
        staleRecords = []
        let everything = !tracksChanges
        if everything { startTrackingChanges() }
        for index in rules.indices {
            dedup[index]?.takeChanges(rule: rules[index].name, everything: everything, into: &changes)
            thresholds[index]?.takeChanges(rule: rules[index].name, everything: everything, into: &changes)
        }
        if everything || latestSecondsChanged {
            var state: [UInt8] = []
            WindowStateText.append(latestSeconds, to: &state)
            changes.updated.append(AlertWindowRecord(rule: AlertWindowRecord.alerterRule, kind: .dedup, key: [],
                                                     state: state))
            latestSecondsChanged = false
        }
        return changes
    }

    /// Replaces the windows with saved ones (e.g. loaded at start), and starts logging changes.
    ///
    /// Records of rules that no longer exist or no longer have that policy, and records whose
    /// state does not read, are ignored, and come back as removals with the next
    /// `takeWindowChanges()` so that the store forgets them. A rule whose window length changed
    /// keeps its saved windows; they are judged by the new length from now on.
    public func restoreWindows(_ records: [AlertWindowRecord]) {
        dedup = rules.map { rule in rule.dedup.map(DedupWindows.init(policy:)) }
        thresholds = rules.map { rule in rule.threshold.map(ThresholdWindows.init(policy:)) }
        latestSeconds = 0
        latestSecondsChanged = false
        staleRecords = []
        startTrackingChanges()
        for record in records {
            var restored = false
            if record.rule == AlertWindowRecord.alerterRule {
                if record.kind == .dedup, record.key.isEmpty, let numbers = WindowStateText.numbers(record.state),
                   numbers.count == 1, numbers[0].isFinite {
                    latestSeconds = numbers[0]
                    restored = true
                }
            } else if let index = ruleIndices[record.rule] {
                switch record.kind {
                case .dedup:
                    if dedup[index] != nil { restored = dedup[index]!.restore(key: record.key, state: record.state) }
                case .threshold:
                    if thresholds[index] != nil { restored = thresholds[index]!.restore(key: record.key, state: record.state) }
                }
            }
            if !restored { staleRecords.append(record.id) }
        }
    }

    private func startTrackingChanges() {
        tracksChanges = true
        for index in rules.indices {
            dedup[index]?.changes.isTracking = true
            thresholds[index]?.changes.isTracking = true
        }
    }
}

import Foundation
import VigilPattern

/// The alerting stage (DESIGN.md's Alerter): turns a rule's match into an alert, or into nothing
/// when the rule's `dedup` or `threshold` holds it back, and shapes the webhook payload with the
/// rule's input transformer.
///
/// It keeps the dedup and threshold windows of every rule, in memory, for one run. One per
/// pipeline; not thread-safe.
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
    public struct Match {
        /// The normalized event's JSON (the envelope).
        public var event: [UInt8]
        /// The event's identity (DESIGN.md), e.g. `cloudtrail:<eventID>`.
        public var identity: [UInt8]
        /// The event's `time` as written in the envelope.
        public var time: [UInt8]
        /// The same time in seconds since 1970, when it parses.
        public var seconds: Double?
        public var file: String
        public var record: Int

        public init(event: [UInt8], identity: [UInt8], time: [UInt8], seconds: Double?, file: String, record: Int) {
            self.event = event
            self.identity = identity
            self.time = time
            self.seconds = seconds
            self.file = file
            self.record = record
        }
    }

    private let rules: [Rule]
    private var dedup: [Int: DedupWindows] = [:]
    private var thresholds: [Int: ThresholdWindows] = [:]
    /// Writes seconds since 1970 as ISO-8601 (the pipeline's formatter, so every time Vigil
    /// writes looks the same).
    private let formatTime: (Double) -> [UInt8]
    /// For events without a parsable time: the latest time seen, so windows still advance.
    private var latestSeconds = 0.0
    private var line: [UInt8] = []
    private var extra: [UInt8] = []
    private var key: [UInt8] = []

    public init(rules: [Rule], formatTime: @escaping (Double) -> [UInt8]) {
        self.rules = rules
        self.formatTime = formatTime
        for (index, rule) in rules.enumerated() {
            if let policy = rule.dedup { dedup[index] = DedupWindows(policy: policy) }
            if let policy = rule.threshold { thresholds[index] = ThresholdWindows(policy: policy) }
        }
    }

    /// Decides what the match of rule `ruleIndex` (an index into `rules`) comes to.
    public func decide(ruleIndex: Int, match: Match) -> Decision {
        let rule = rules[ruleIndex]
        let seconds = match.seconds ?? latestSeconds
        latestSeconds = max(latestSeconds, seconds)
        extra.removeAll(keepingCapacity: true)
        var identity = match.identity
        if var windows = dedup[ruleIndex] {
            buildKey(windows.policy.keys, event: match.event)
            let admitted = windows.admit(key: key, time: seconds)
            dedup[ruleIndex] = windows
            guard admitted else { return .suppressedByDedup }
        }
        if var windows = thresholds[ruleIndex] {
            buildKey(windows.policy.groupBy, event: match.event)
            let outcome = windows.add(group: key, time: seconds)
            thresholds[ruleIndex] = windows
            switch outcome {
            case .counted: return .belowThreshold
            case .silenced: return .silencedByThreshold
            case .reached(let count, let first, let last):
                appendThreshold(windows.policy, count: count, first: first, last: last, event: match.event)
                // One alert per window and group: its identity is the group and the event that
                // completed the count, so a replay of the same input gives the same id.
                identity = Array("threshold:".utf8) + key + [0] + match.identity
            }
        }
        let id = identity.withUnsafeBytes { AlertWriter.alertID(rule: rule.name, eventIdentity: $0) }
        line.removeAll(keepingCapacity: true)
        AlertWriter.appendAlert(id: id, rule: rule, time: match.time, file: match.file, record: match.record,
                                extraMembers: extra, event: match.event, to: &line)
        let transformed = rule.inputTransformer.map { transformer in
            match.event.withUnsafeBytes { event in
                transformer.render(event: event, ruleName: rule.name,
                                   ingestionTime: String(decoding: formatTime(Date().timeIntervalSince1970), as: UTF8.self))
            }
        }
        return .alert(Alert(id: String(decoding: id, as: UTF8.self), rule: rule.name, severity: rule.severity,
                            line: line, transformed: transformed))
    }

    /// The values of `paths` in the event, as JSON text joined by a unit separator (`null` for a
    /// missing one): equal keys mean equal values.
    private func buildKey(_ paths: [EventPath], event: [UInt8]) {
        key.removeAll(keepingCapacity: true)
        event.withUnsafeBytes { bytes in
            for (index, path) in paths.enumerated() {
                if index > 0 { key.append(0x1F) }
                if let range = path.value(in: bytes) {
                    key.append(contentsOf: bytes[range])
                } else {
                    key.append(contentsOf: "null".utf8)
                }
            }
        }
    }

    private func appendThreshold(_ policy: ThresholdPolicy, count: Int, first: Double, last: Double, event: [UInt8]) {
        extra.append(contentsOf: #","threshold":{"count":"#.utf8)
        extra.append(contentsOf: String(count).utf8)
        extra.append(contentsOf: #","window":""#.utf8)
        extra.append(contentsOf: policy.window.description.utf8)
        extra.append(contentsOf: #"","group":{"#.utf8)
        event.withUnsafeBytes { bytes in
            for (index, path) in policy.groupBy.enumerated() {
                if index > 0 { extra.append(UInt8(ascii: ",")) }
                JSONText.appendQuoted(Array(path.text.utf8), to: &extra)
                extra.append(UInt8(ascii: ":"))
                if let range = path.value(in: bytes) {
                    JSONText.appendCompacted(UnsafeRawBufferPointer(rebasing: bytes[range]), to: &extra)
                } else {
                    extra.append(contentsOf: "null".utf8)
                }
            }
        }
        extra.append(contentsOf: #"},"firstTime":"#.utf8)
        JSONText.appendQuoted(formatTime(first), to: &extra)
        extra.append(contentsOf: #","lastTime":"#.utf8)
        JSONText.appendQuoted(formatTime(last), to: &extra)
        extra.append(UInt8(ascii: "}"))
    }
}

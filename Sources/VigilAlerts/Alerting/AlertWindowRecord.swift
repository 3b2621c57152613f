/// One saved piece of the Alerter's memory: a dedup window, a threshold group, or the bookkeeping
/// that decisions depend on, as `AlertWindowStore` keeps it in the state database.
///
/// Three shapes of record, told apart by `rule` and `key`:
///
/// * a window: `rule` names the rule, `key` is the window key (dedup) or group key (threshold)
///   exactly as the Alerter builds it — the JSON text of each key path's value, joined by 0x1F;
///   `state` is `opened suppressed` (dedup) or `silentUntil time…` (threshold);
/// * a rule's sweep schedule: `key` is `sweepScheduleKey` (a lone 0x00 byte, which no window key
///   starts with, since window keys are JSON values), `state` is `latest sinceSweep`. It decides
///   which windows the next sweep drops, and so what late events come to;
/// * the Alerter's latest event time, which events without a time of their own are taken to
///   happen at: `rule` is `alerterRule` (empty, which no rule name is), `kind` is `.dedup`,
///   `key` is empty, `state` is the time.
///
/// `state` is ASCII: numbers separated by spaces, times written with Swift's shortest
/// round-tripping form of a `Double` (so they come back bit for bit), `-inf` for "never".
public struct AlertWindowRecord: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case dedup, threshold
    }

    /// The key of a rule's sweep-schedule record.
    public static let sweepScheduleKey: [UInt8] = [0]
    /// The rule name of the record holding the Alerter's latest event time.
    public static let alerterRule = ""

    /// The rule's name.
    public var rule: String
    public var kind: Kind
    /// The window key or group key bytes, as the Alerter builds them.
    public var key: [UInt8]
    /// The window's state, in the text form above.
    public var state: [UInt8]

    public init(rule: String, kind: Kind, key: [UInt8], state: [UInt8]) {
        self.rule = rule
        self.kind = kind
        self.key = key
        self.state = state
    }

    /// Which window the record is of.
    public var id: AlertWindowID {
        AlertWindowID(rule: rule, kind: kind, key: key)
    }
}

/// Names a saved window: its rule, kind and key (the primary key of `alert_windows`).
public struct AlertWindowID: Sendable, Hashable {
    public var rule: String
    public var kind: AlertWindowRecord.Kind
    public var key: [UInt8]

    public init(rule: String, kind: AlertWindowRecord.Kind, key: [UInt8]) {
        self.rule = rule
        self.kind = kind
        self.key = key
    }
}

/// What changed in the Alerter's windows since the changes were last taken: records to write
/// (new or changed) and records to delete (windows swept away, saved records that no longer
/// apply). Applying both to the saved records gives the Alerter's current state.
public struct AlertWindowChanges: Sendable {
    public var updated: [AlertWindowRecord]
    public var removed: [AlertWindowID]

    public init(updated: [AlertWindowRecord] = [], removed: [AlertWindowID] = []) {
        self.updated = updated
        self.removed = removed
    }

    public var isEmpty: Bool { updated.isEmpty && removed.isEmpty }
}

/// The text of window states: numbers separated by spaces.
enum WindowStateText {
    /// Appends `value` in its shortest form that reads back to the same `Double`.
    static func append(_ value: Double, to text: inout [UInt8]) {
        if !text.isEmpty { text.append(0x20) }
        text.append(contentsOf: value.description.utf8)
    }

    static func append(_ value: Int, to text: inout [UInt8]) {
        if !text.isEmpty { text.append(0x20) }
        text.append(contentsOf: String(value).utf8)
    }

    /// The numbers of `state`; nil when one of them is not a number (a corrupt or foreign record).
    static func numbers(_ state: [UInt8]) -> [Double]? {
        var values: [Double] = []
        for field in state.split(separator: 0x20) {
            guard let value = Double(String(decoding: field, as: UTF8.self)), !value.isNaN else { return nil }
            values.append(value)
        }
        return values
    }
}

/// The counting windows of one threshold rule, one per group.
///
/// Semantics (event time): a group fires on the event that brings the number of its matching
/// events within `window` to `count`; the alert then stands for that window, so the group stays
/// silent until `window` after the earliest of those events, and counting starts again from zero.
/// Hence at most one alert per window and group, e.g. one for a burst of 100 probes in 5 minutes.
struct ThresholdWindows {
    /// What a group's event led to.
    enum Outcome: Equatable {
        /// Counted; not (yet) enough events in the window.
        case counted
        /// The threshold is reached: alert, with the span of event times that reached it.
        case reached(count: Int, first: Double, last: Double)
        /// The group already alerted for this window.
        case silenced
    }

    private struct Group {
        /// Event times within the window, ascending.
        var times: [Double] = []
        /// Until when the group is silent after an alert.
        var silentUntil = -Double.infinity

        init() {}

        /// `silentUntil time…`.
        var state: [UInt8] {
            var text: [UInt8] = []
            WindowStateText.append(silentUntil, to: &text)
            for time in times { WindowStateText.append(time, to: &text) }
            return text
        }

        init?(state: [UInt8]) {
            guard let numbers = WindowStateText.numbers(state), let silentUntil = numbers.first else { return nil }
            self.silentUntil = silentUntil
            times = Array(numbers.dropFirst())
        }
    }

    let policy: ThresholdPolicy
    private var groups: [WindowKey: Group] = [:]
    private var sweep = WindowSweep()
    var changes = WindowChangeLog()

    init(policy: ThresholdPolicy) {
        self.policy = policy
    }

    mutating func add(group key: [UInt8], time: Double) -> Outcome {
        changes.scheduleChanged = true
        if let horizon = sweep.note(time, window: policy.window.seconds) {
            func keep(_ group: Group) -> Bool {
                (group.times.last ?? -Double.infinity) >= horizon || group.silentUntil > horizon
            }
            if changes.isTracking {
                for (key, group) in groups where !keep(group) { changes.note(key) }
            }
            groups = groups.filter { keep($0.value) }
        }
        // One lookup, then the group is changed in place (see `DedupWindows.admit`).
        let key = WindowKey(key)
        let index: Dictionary<WindowKey, Group>.Index
        if let found = groups.index(forKey: key) {
            index = found
            if time < groups.values[index].silentUntil { return .silenced }
        } else {
            groups[key] = Group()
            index = groups.index(forKey: key)!
        }
        changes.note(groups.keys[index])
        return Self.count(time, in: &groups.values[index], policy: policy)
    }

    private static func count(_ time: Double, in group: inout Group, policy: ThresholdPolicy) -> Outcome {
        let window = Double(policy.window.seconds)
        // Records arrive nearly in time order; insert in place to tolerate small reorderings.
        let position = group.times.lastIndex { $0 <= time }.map { $0 + 1 } ?? 0
        group.times.insert(time, at: position)
        let newest = group.times[group.times.count - 1]
        group.times.removeAll { $0 < newest - window }
        guard group.times.count >= policy.count, let first = group.times.first else { return .counted }
        let outcome = Outcome.reached(count: group.times.count, first: first, last: newest)
        group.silentUntil = first + window
        group.times.removeAll()
        return outcome
    }

    /// Appends the records of the groups that changed since the last take (all of them when
    /// `everything`), and of the sweep schedule, to `output`.
    mutating func takeChanges(rule: String, everything: Bool, into output: inout AlertWindowChanges) {
        changes.take(from: groups, state: \.state, sweep: sweep, rule: rule, kind: .threshold, everything: everything, into: &output)
    }

    /// Takes back a saved group or sweep schedule; false when `state` is not one.
    mutating func restore(key: [UInt8], state: [UInt8]) -> Bool {
        if key == AlertWindowRecord.sweepScheduleKey {
            guard let schedule = WindowSweep(state: state) else { return false }
            sweep = schedule
            return true
        }
        guard let group = Group(state: state) else { return false }
        groups[WindowKey(key)] = group
        return true
    }
}

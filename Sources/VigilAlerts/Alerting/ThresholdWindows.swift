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
    }

    let policy: ThresholdPolicy
    private var groups: [[UInt8]: Group] = [:]
    private var sweep = WindowSweep()

    init(policy: ThresholdPolicy) {
        self.policy = policy
    }

    mutating func add(group key: [UInt8], time: Double) -> Outcome {
        if let horizon = sweep.note(time, window: policy.window.seconds) {
            groups = groups.filter { ($0.value.times.last ?? -Double.infinity) >= horizon || $0.value.silentUntil > horizon }
        }
        let window = Double(policy.window.seconds)
        var group = groups[key] ?? Group()
        defer { groups[key] = group }
        if time < group.silentUntil { return .silenced }
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
}

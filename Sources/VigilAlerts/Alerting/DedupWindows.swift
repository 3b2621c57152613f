/// The open dedup windows of one rule: for each key, when its last alert was raised and how many
/// repeats have been suppressed since.
///
/// Windows run on event time, so a replay decides exactly as a live tail would have.
struct DedupWindows {
    private struct Window {
        var opened: Double
        var suppressed: Int

        /// `opened suppressed`.
        var state: [UInt8] {
            var text: [UInt8] = []
            WindowStateText.append(opened, to: &text)
            WindowStateText.append(suppressed, to: &text)
            return text
        }

        init(opened: Double, suppressed: Int) {
            self.opened = opened
            self.suppressed = suppressed
        }

        init?(state: [UInt8]) {
            guard let numbers = WindowStateText.numbers(state), numbers.count == 2,
                  let count = Int(exactly: numbers[1]) else { return nil }
            self.init(opened: numbers[0], suppressed: count)
        }
    }

    let policy: DedupPolicy
    private var windows: [WindowKey: Window] = [:]
    private var sweep = WindowSweep()
    var changes = WindowChangeLog()

    init(policy: DedupPolicy) {
        self.policy = policy
    }

    /// Whether an event with `key` at `time` raises an alert (true) or is a repeat within the
    /// window of an earlier alert (false, and counted).
    mutating func admit(key: [UInt8], time: Double) -> Bool {
        changes.scheduleChanged = true
        if let horizon = sweep.note(time, window: policy.window.seconds) {
            // A window opened before the horizon has closed for every event still to come in order.
            if changes.isTracking {
                for (key, window) in windows where window.opened < horizon { changes.note(key) }
            }
            windows = windows.filter { $0.value.opened >= horizon }
        }
        let window = Double(policy.window.seconds)
        // One lookup, then the entry is changed in place; the change log gets the table's own
        // copy of the key, so the caller's reused key buffer stays unshared (no copy next event).
        let key = WindowKey(key)
        if let index = windows.index(forKey: key) {
            let open = windows.values[index]
            changes.note(windows.keys[index])
            if time >= open.opened, time < open.opened + window {
                windows.values[index].suppressed += 1
                return false
            }
            windows.values[index] = Window(opened: time, suppressed: 0)
            return true
        }
        windows[key] = Window(opened: time, suppressed: 0)
        changes.note(key)
        return true
    }

    /// Appends the records of the windows that changed since the last take (all of them when
    /// `everything`), and of the sweep schedule, to `output`.
    mutating func takeChanges(rule: String, everything: Bool, into output: inout AlertWindowChanges) {
        changes.take(from: windows, state: \.state, sweep: sweep, rule: rule, kind: .dedup, everything: everything, into: &output)
    }

    /// Takes back a saved window or sweep schedule; false when `state` is not one.
    mutating func restore(key: [UInt8], state: [UInt8]) -> Bool {
        if key == AlertWindowRecord.sweepScheduleKey {
            guard let schedule = WindowSweep(state: state) else { return false }
            sweep = schedule
            return true
        }
        guard let window = Window(state: state) else { return false }
        windows[WindowKey(key)] = window
        return true
    }
}

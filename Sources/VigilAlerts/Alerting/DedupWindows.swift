/// The open dedup windows of one rule: for each key, when its last alert was raised and how many
/// repeats have been suppressed since.
///
/// Windows run on event time, so a replay decides exactly as a live tail would have.
struct DedupWindows {
    private struct Window {
        var opened: Double
        var suppressed: Int
    }

    let policy: DedupPolicy
    private var windows: [[UInt8]: Window] = [:]
    private var sweep = WindowSweep()

    init(policy: DedupPolicy) {
        self.policy = policy
    }

    /// Whether an event with `key` at `time` raises an alert (true) or is a repeat within the
    /// window of an earlier alert (false, and counted).
    mutating func admit(key: [UInt8], time: Double) -> Bool {
        if let horizon = sweep.note(time, window: policy.window.seconds) {
            // A window opened before the horizon has closed for every event still to come in order.
            windows = windows.filter { $0.value.opened >= horizon }
        }
        let window = Double(policy.window.seconds)
        if var open = windows[key], time >= open.opened, time < open.opened + window {
            open.suppressed += 1
            windows[key] = open
            return false
        }
        windows[key] = Window(opened: time, suppressed: 0)
        return true
    }
}

/// Which windows of one rule changed since the Alerter's changes were last taken, so that
/// `Alerter.takeWindowChanges()` writes only those.
///
/// A key goes in when its window opens, counts, falls silent or is swept away; whether the
/// window still exists when the changes are taken tells an update from a removal. The set holds
/// the window table's own key arrays (see `DedupWindows.admit`), so noting a key copies nothing.
///
/// Off until the Alerter is first asked for its changes or given saved windows: a replay that
/// never saves its windows then keeps no set that would outgrow the swept tables.
struct WindowChangeLog {
    var isTracking = false
    /// Keys whose window changed since the last take.
    private(set) var keys: Set<WindowKey> = []
    /// Whether the sweep schedule moved (it does with every event) since the last take.
    var scheduleChanged = false

    mutating func note(_ key: WindowKey) {
        if isTracking { keys.insert(key) }
    }

    /// The changed keys; forgets them.
    mutating func take() -> Set<WindowKey> {
        defer {
            keys = []
            scheduleChanged = false
        }
        return keys
    }

    /// Appends to `output` the records of the windows of `table` that changed since the last take
    /// (all of them when `everything`), each window's state written by `state`, and the sweep
    /// schedule's when it moved; forgets the changes. A changed key no longer in the table was
    /// swept away: a removal.
    mutating func take<Window>(from table: [WindowKey: Window], state: (Window) -> [UInt8], sweep: WindowSweep,
                               rule: String, kind: AlertWindowRecord.Kind, everything: Bool,
                               into output: inout AlertWindowChanges) {
        let scheduleMoved = scheduleChanged
        let changed = take()
        if everything {
            for (key, window) in table {
                output.updated.append(AlertWindowRecord(rule: rule, kind: kind, key: key.bytes, state: state(window)))
            }
        } else {
            for key in changed {
                if let window = table[key] {
                    output.updated.append(AlertWindowRecord(rule: rule, kind: kind, key: key.bytes, state: state(window)))
                } else {
                    output.removed.append(AlertWindowID(rule: rule, kind: kind, key: key.bytes))
                }
            }
        }
        if everything || scheduleMoved {
            output.updated.append(AlertWindowRecord(rule: rule, kind: kind, key: AlertWindowRecord.sweepScheduleKey,
                                                    state: sweep.state))
        }
    }
}

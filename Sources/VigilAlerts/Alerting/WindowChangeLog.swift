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
    private(set) var keys: Set<[UInt8]> = []
    /// Whether the sweep schedule moved (it does with every event) since the last take.
    var scheduleChanged = false

    mutating func note(_ key: [UInt8]) {
        if isTracking { keys.insert(key) }
    }

    /// The changed keys; forgets them.
    mutating func take() -> Set<[UInt8]> {
        defer {
            keys = []
            scheduleChanged = false
        }
        return keys
    }
}

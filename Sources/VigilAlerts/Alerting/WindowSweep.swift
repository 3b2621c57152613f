/// When to drop windows that can no longer matter: every 4096 events, those that ended before
/// the latest event time minus the window. Keeps the memory of long runs bounded without
/// scanning the table on every event.
struct WindowSweep {
    /// The latest event time seen.
    private(set) var latest = -Double.infinity
    private var sinceSweep = 0

    /// Records an event time; returns the horizon (windows that ended before it may go) when a
    /// sweep is due.
    mutating func note(_ time: Double, window: Int) -> Double? {
        latest = max(latest, time)
        sinceSweep += 1
        guard sinceSweep >= 4096 else { return nil }
        sinceSweep = 0
        return latest - Double(window)
    }
}

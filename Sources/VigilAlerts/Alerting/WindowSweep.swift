/// When to drop windows that can no longer matter: every 4096 events, those that ended before
/// the latest event time minus the window. Keeps the memory of long runs bounded without
/// scanning the table on every event.
///
/// The schedule is part of what decides a late event (a window swept before it arrives no
/// longer holds it back), so it is saved with the windows (`state`) and restored with them.
struct WindowSweep {
    /// The latest event time seen.
    private(set) var latest = -Double.infinity
    private var sinceSweep = 0

    init() {}

    /// The schedule saved as `state`; nil when the text is not one.
    init?(state: [UInt8]) {
        guard let numbers = WindowStateText.numbers(state), numbers.count == 2,
              let count = Int(exactly: numbers[1]), count >= 0 else { return nil }
        latest = numbers[0]
        sinceSweep = count
    }

    /// The schedule as text: `latest sinceSweep`.
    var state: [UInt8] {
        var text: [UInt8] = []
        WindowStateText.append(latest, to: &text)
        WindowStateText.append(sinceSweep, to: &text)
        return text
    }

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

import Foundation

/// Waiting in tests for something another thread or process does.
public enum Polling {
    /// Polls `condition` every 10 ms for up to `seconds`; returns whether it became true.
    public static func eventually(within seconds: Double = 5, _ condition: () throws -> Bool) rethrows -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if try condition() { return true }
            usleep(10_000)
        }
        return try condition()
    }
}

/// A span of event time for `dedup` and `threshold`: `"30s"`, `"5m"`, `"1h"`, `"1d"`, combinations
/// such as `"1h30m"`, or a number of seconds.
public struct TimeWindow: Sendable, Hashable, CustomStringConvertible {
    /// The longest window accepted: windows are kept in memory per key, and a month is already
    /// longer than any investigation needs.
    public static let maximumSeconds = 31 * 86_400

    public let seconds: Int

    public init(seconds: Int) {
        self.seconds = seconds
    }

    /// Parses a window; nil when the text is not one or it is out of range (1 s to 31 days).
    public init?(_ text: String) {
        var total = 0
        var number: Int?
        var sawUnit = false
        for character in text {
            if let digit = character.wholeNumberValue, character.isASCII {
                let (product, overflow) = (number ?? 0).multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                number = product + digit
                continue
            }
            let unit: Int
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3_600
            case "d": unit = 86_400
            default: return nil
            }
            guard let value = number else { return nil }
            total += value * unit
            number = nil
            sawUnit = true
            guard total <= Self.maximumSeconds else { return nil }
        }
        if let number {
            guard !sawUnit else { return nil }  // "5m30": a trailing number without a unit
            total = number
        }
        guard total >= 1, total <= Self.maximumSeconds else { return nil }
        seconds = total
    }

    /// The window in its shortest spelling, e.g. `5m` or `1h30m`.
    public var description: String {
        var rest = seconds
        var text = ""
        for (unit, name) in [(86_400, "d"), (3_600, "h"), (60, "m"), (1, "s")] where rest >= unit {
            text += "\(rest / unit)\(name)"
            rest %= unit
        }
        return text
    }
}

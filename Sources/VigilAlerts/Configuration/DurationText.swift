/// Durations in a configuration file: `"300ms"`, `"0.3s"`, `"5s"`, `"1m"`, `"24h"`, `"1d"`,
/// combinations such as `"1h30m"`, or a JSON number of seconds.
///
/// Not `TimeWindow`, which rules use for dedup and threshold windows: that one counts whole
/// seconds from 1 s up, while a webhook timeout or a first retry delay is often a fraction of a
/// second.
public enum DurationText {
    /// The seconds `text` spells, or nil when it is not a duration. Zero and negative durations
    /// are not spelled this way; the caller decides which durations must be positive.
    public static func seconds(_ text: String) -> Double? {
        var total = 0.0
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number.first != ".", number.last != ".",
                  number.filter({ $0 == "." }).count <= 1, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            let scale: Double
            switch unit {
            case "ms": scale = 0.001
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3_600
            case "d": scale = 86_400
            case "":
                // A bare number is seconds, but only alone: "5m30" is more likely a typo than 5m30s.
                guard total == 0, rest.isEmpty, number.count == text.count else { return nil }
                scale = 1
            default: return nil
            }
            total += value * scale
        }
        return total.isFinite ? total : nil
    }
}

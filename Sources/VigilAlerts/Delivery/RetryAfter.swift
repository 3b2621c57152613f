import Foundation

/// Reads a `Retry-After` header (RFC 9110 §10.2.3): a number of seconds, or an HTTP-date in any
/// of the three forms a recipient must accept (IMF-fixdate, RFC 850, asctime).
public enum RetryAfter {
    /// How long to wait from `now`, or nil when the value is neither form. A date in the past
    /// means no wait.
    public static func delay(_ value: String, now: Date) -> TimeInterval? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            // An absurdly long number of seconds is still "later than any deadline".
            return TimeInterval(trimmed) ?? .infinity
        }
        guard let date = httpDate(trimmed) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// Parses an HTTP-date; always GMT.
    public static func httpDate(_ text: String) -> Date? {
        let fields = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch fields.count {
        case 6 where fields[0].hasSuffix(",") && fields[5] == "GMT":
            // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
            guard let day = Int(fields[1]), let month = month(fields[2]), let year = Int(fields[3]),
                  fields[3].count == 4 else { return nil }
            return date(year: year, month: month, day: day, time: fields[4])
        case 4 where fields[0].hasSuffix(",") && fields[3] == "GMT":
            // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
            let parts = fields[1].split(separator: "-").map(String.init)
            guard parts.count == 3, let day = Int(parts[0]), let month = month(parts[1]),
                  parts[2].count == 2, let shortYear = Int(parts[2]) else { return nil }
            // RFC 9110: a two-digit year more than 50 years ahead is in the past century.
            return date(year: shortYear < 70 ? 2000 + shortYear : 1900 + shortYear, month: month, day: day,
                        time: fields[2])
        case 5:
            // asctime: Sun Nov  6 08:49:37 1994
            guard let month = month(fields[1]), let day = Int(fields[2]), let year = Int(fields[4]),
                  fields[4].count == 4 else { return nil }
            return date(year: year, month: month, day: day, time: fields[3])
        default:
            return nil
        }
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func month(_ name: String) -> Int? {
        months.firstIndex(of: name).map { $0 + 1 }
    }

    private static func date(year: Int, month: Int, day: Int, time: String) -> Date? {
        let clock = time.split(separator: ":").map { Int($0) }
        guard clock.count == 3, let hour = clock[0], let minute = clock[1], let second = clock[2],
              (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let seconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`),
    /// which needs no calendar object or time zone database.
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// A calendar day in UTC (proleptic Gregorian), as `YYYY/MM/DD/` folders and `--from` name it, and
/// the day arithmetic everything else counts with: days since 1970-01-01 by Howard Hinnant's
/// `days_from_civil` and `civil_from_days`, without a calendar object or time zone.
///
/// The two algorithms are `@inlinable` because the readers' timestamp parser runs them for every
/// record: a call into another module per record would cost what the byte-level parser saves.
public struct CalendarDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, 1 to 9999 (four digits in keys).
    public let year: Int
    /// The month, 1 to 12.
    public let month: Int
    /// The day of the month, from 1.
    public let day: Int

    /// A day; nil when it does not exist (`2026-02-30`) or the year is not 1 to 9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Self.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`, as `--from` and `--to` give days.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let year = Self.digits(parts[0], count: 4),
              let month = Self.digits(parts[1], count: 2), let day = Self.digits(parts[2], count: 2)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The UTC day holding the instant `seconds` after 1970-01-01T00:00:00Z (negative before it).
    public init(secondsSince1970 seconds: Int64) {
        let (quotient, remainder) = seconds.quotientAndRemainder(dividingBy: 86_400)
        self.init(ordinal: Int(remainder < 0 ? quotient - 1 : quotient))
    }

    /// The day `ordinal` days after 1970-01-01.
    public init(ordinal: Int) {
        (year, month, day) = Self.civil(ordinal: ordinal)
    }

    /// Days since 1970-01-01: day arithmetic without a calendar.
    public var ordinal: Int {
        Self.ordinal(year: year, month: month, day: day)
    }

    /// Midnight UTC of the day, in seconds since 1970.
    public var secondsSince1970: Int64 {
        Int64(ordinal) * 86_400
    }

    /// `2026/11/20/`, the day's folder under a region folder.
    public var folderPath: String { "\(Self.pad(year, 4))/\(Self.pad(month, 2))/\(Self.pad(day, 2))/" }

    /// `2026-11-20`.
    public var description: String { "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))" }

    /// Calendar order.
    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Days in `month` of `year` (February by the Gregorian leap rule).
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The value of `text` when it is exactly `count` ASCII digits, as keys and `--from` write a
    /// year (4), month or day (2); nil for anything else.
    public static func digits(_ text: some StringProtocol, count: Int) -> Int? {
        guard text.utf8.count == count, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return Int(text)
    }

    // MARK: - Hinnant's algorithms

    /// Days since 1970-01-01 of a proleptic Gregorian date (`days_from_civil`). Any month 1 to 12
    /// and day 1 to 31 gives a number; a day past the month's end runs into the next month.
    @inlinable
    public static func ordinal(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `ordinal` days after 1970-01-01 (`civil_from_days`).
    @inlinable
    public static func civil(ordinal: Int) -> (year: Int, month: Int, day: Int) {
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

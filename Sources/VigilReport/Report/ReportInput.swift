/// What a run knows beside its alerts, for the report: the event volume of each source over time
/// and the run's summary. A report made from alert files alone has neither and says so.
public struct ReportRunFacts: Sendable {
    /// Events read per source (its label: `CloudTrail`, `VPC Flow Logs`, …) per minute (seconds
    /// since 1970 divided by 60).
    public var volumeByMinute: [String: [Int64: Int]]
    /// The run's summary as `vigil replay` prints it on stderr, one line an element.
    public var summaryLines: [String]
    public var files: Int
    public var records: Int
    public var events: Int
    public var problems: Int

    public init(volumeByMinute: [String: [Int64: Int]], summaryLines: [String], files: Int, records: Int, events: Int, problems: Int) {
        self.volumeByMinute = volumeByMinute
        self.summaryLines = summaryLines
        self.files = files
        self.records = records
        self.events = events
        self.problems = problems
    }
}

/// Seconds since 1970 of an ISO-8601 UTC time (`YYYY-MM-DDTHH:MM:SS` and anything after), by
/// Hinnant's days-from-civil; nil when it is no such time.
enum ReportTime {
    static func seconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19 else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for index in range {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return days * 86_400 + hour * 3_600 + minute * 60 + second
    }

    /// `YYYY-MM-DD HH:MM` (UTC) of `seconds`.
    static func text(_ seconds: Int64, withSeconds: Bool = false) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var text = "\(year)-\(two(month))-\(two(day)) \(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60))"
        if withSeconds { text += ":\(two(secondOfDay % 60))" }
        return text
    }
}

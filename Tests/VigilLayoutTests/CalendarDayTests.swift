import Foundation
import Testing
import VigilLayout

@Suite("UTC calendar days")
struct CalendarDayTests {
    @Test func ordinalsRoundTripAndMatchFoundation() {
        #expect(CalendarDay(ordinal: 0) == CalendarDay(year: 1970, month: 1, day: 1))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for ordinal in stride(from: -800_000, through: 2_900_000, by: 997) {
            let day = CalendarDay(ordinal: ordinal)
            #expect(day.ordinal == ordinal)
            let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(ordinal) * 86_400))
            // Foundation's Gregorian calendar is Julian before October 1582; ours is proleptic.
            if (1600...9999).contains(day.year) {
                #expect((parts.year, parts.month, parts.day) == (day.year, day.month, day.day), "\(ordinal)")
            }
        }
    }

    @Test func daysThatDoNotExistAreRefused() {
        #expect(CalendarDay(year: 2024, month: 2, day: 29) != nil)
        #expect(CalendarDay(year: 2026, month: 2, day: 29) == nil)
        #expect(CalendarDay(year: 2100, month: 2, day: 29) == nil)
        #expect(CalendarDay(year: 2000, month: 2, day: 29) != nil)
        #expect(CalendarDay(year: 2026, month: 4, day: 31) == nil)
        #expect(CalendarDay(year: 0, month: 1, day: 1) == nil)
        #expect(CalendarDay(year: 10_000, month: 1, day: 1) == nil)
        #expect(CalendarDay("2026-1-05") == nil && CalendarDay("2026-01-05 ") == nil && CalendarDay("2026/01/05") == nil)
    }

    @Test func secondsMapToTheirUTCDay() {
        #expect(CalendarDay(secondsSince1970: -1) == CalendarDay("1969-12-31"))
        #expect(CalendarDay(secondsSince1970: 0) == CalendarDay("1970-01-01"))
        #expect(CalendarDay(secondsSince1970: 1_795_651_199) == CalendarDay("2026-11-25"))
        #expect(CalendarDay(secondsSince1970: 1_795_651_200) == CalendarDay("2026-11-26"))
        #expect(CalendarDay("2026-11-26")?.secondsSince1970 == 1_795_651_200)
    }

    @Test func theRawAlgorithmRunsPastAMonthsEnd() {
        // What the timestamp parser relies on: any day 1 to 31 gives a number, no validation.
        #expect(CalendarDay.ordinal(year: 2026, month: 2, day: 31) == CalendarDay("2026-03-03")!.ordinal)
        #expect(CalendarDay.civil(ordinal: CalendarDay("2024-02-29")!.ordinal) == (2024, 2, 29))
    }

    @Test func fixedWidthDigits() {
        #expect(CalendarDay.digits("2026", count: 4) == 2026)
        #expect(CalendarDay.digits("05", count: 2) == 5)
        #expect(CalendarDay.digits("5", count: 2) == nil)
        #expect(CalendarDay.digits("+5", count: 2) == nil)
        #expect(CalendarDay.digits("", count: 0) == nil)
    }
}

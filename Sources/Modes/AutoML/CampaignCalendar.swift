import Determinism
import LocalCloud

/// The weeks of a weekly campaign: week 1 starts on a Monday, each week is 7 days, and week 0
/// holds whatever came before week 1 (the export delivered at week 1's first run).
///
/// Days are counted since 1970-01-01 in UTC, so a week's dates never depend on a time zone; a
/// scheduled run belongs to the week of the UTC day it fires on.
public struct CampaignCalendar: Sendable, Equatable {
    /// The day (since 1970-01-01) week 1 starts on.
    public let firstMonday: Int32

    /// A calendar whose week 1 starts on `firstMonday`.
    /// - Throws: `AutoMLError.notAMonday` when the day is not a Monday.
    public init(firstMonday: Int32) throws(AutoMLError) {
        guard CivilCalendar.weekday(days: Int(firstMonday)) == 1 else {
            throw .notAMonday(Self.dateText(ofDay: firstMonday))
        }
        self.firstMonday = firstMonday
    }

    /// The calendar of the CDNOW data: week 1 starts on Monday 1997-01-06.
    public static let cdnow = try! CampaignCalendar(firstMonday: Int32(CivilCalendar.days(year: 1997, month: 1, day: 6)))

    /// The first day of `week`.
    public func startDay(ofWeek week: Int) -> Int32 { firstMonday + Int32(7 * (week - 1)) }

    /// The week `day` falls in (0 for the days before week 1, and negative before that).
    public func week(ofDay day: Int32) -> Int {
        let offset = Int(day - firstMonday)
        return (offset >= 0 ? offset / 7 : (offset - 6) / 7) + 1
    }

    /// The week of the UTC day `instant` falls on.
    public func week(of instant: Instant) -> Int {
        let nanosecondsPerDay: Int64 = 86_400_000_000_000
        let nanoseconds = instant.nanosecondsSinceEpoch
        let day = nanoseconds >= 0 ? nanoseconds / nanosecondsPerDay : (nanoseconds - nanosecondsPerDay + 1) / nanosecondsPerDay
        return week(ofDay: Int32(day))
    }

    /// `yyyy-mm-dd` of the first day of `week`: how objects of that week are named.
    public func dateText(ofWeek week: Int) -> String { Self.dateText(ofDay: startDay(ofWeek: week)) }

    /// `yyyy-mm-dd` of `day`.
    public static func dateText(ofDay day: Int32) -> String {
        let date = CivilCalendar.date(days: Int(day))
        return "\(date.year)-\(pad(date.month))-\(pad(date.day))"
    }

    /// The day of a `yyyy-mm-dd` date, nil if it is not a valid date.
    public static func day(ofDateText text: Substring) -> Int32? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        return Int32(CivilCalendar.days(year: year, month: month, day: day))
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

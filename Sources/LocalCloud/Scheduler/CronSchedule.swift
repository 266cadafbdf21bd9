import Determinism
import Foundation

/// A standard 5-field cron expression (`minute hour day-of-month month day-of-week`) in an IANA
/// time zone, with the next-run rules of Vixie cron / cronie.
///
/// Syntax: numbers, `*`, lists (`1,15`), ranges (`1-5`), steps (`*/15`, `10-50/20`, `5/10`),
/// month names `JAN`–`DEC`, day names `SUN`–`SAT` (0 and 7 are Sunday; `SUN` ending a range is 7,
/// so `MON-SUN` is the whole week), and the macros
/// `@yearly`/`@annually`, `@monthly`, `@weekly`, `@daily`/`@midnight`, `@hourly`.
/// When both day fields are restricted (neither starts with `*`) a day matches if **either**
/// matches, as in cron; otherwise both must.
///
/// Daylight-saving changes, as cronie and Vixie cron handle them. A job is an *interval* job
/// when its minute or its hour field starts with `*` (`*/15 * * * *`, `30 * * * *`,
/// `*/20 1 * * *`); otherwise it is a *fixed-time* job (`30 2 * * *`).
/// - **Skipped hour** (spring forward): a fixed-time run whose local time does not exist runs
///   once, at the instant of the change (`30 2 * * *` in Europe/Berlin on 2026-03-29 runs at
///   03:00 CEST); interval runs in the gap do not happen.
/// - **Repeated hour** (fall back): a fixed-time run runs once, at the first occurrence of that
///   local time; interval runs happen in both passes.
public struct CronSchedule: Hashable, Sendable, CustomStringConvertible {
    /// The expression as written.
    public let expression: String
    /// The time zone the fields are read in.
    public let timeZone: TimeZone
    /// The IANA identifier as given (Foundation may report `UTC` as `GMT`).
    public let timeZoneIdentifier: String

    let minutes: CronField
    let hours: CronField
    let daysOfMonth: CronField
    let months: CronField
    let daysOfWeek: CronField

    private static let macros = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]
    private static let monthNames = ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
                                     "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]
    private static let dayNames = ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]

    /// Parses `expression` in the time zone named `timeZone` (an IANA identifier, default UTC).
    public init(_ expression: String, timeZone: String = "UTC") throws {
        guard let zone = TimeZone(identifier: timeZone) else { throw CronError.unknownTimeZone(timeZone) }
        let trimmed = expression.trimmingCharacters(in: .whitespaces)
        var text = trimmed
        if trimmed.hasPrefix("@") {
            guard let expanded = Self.macros[trimmed.lowercased()] else {
                throw CronError.invalidExpression(expression: expression, field: "macro",
                                                  reason: "known macros are \(Self.macros.keys.sorted().joined(separator: ", "))")
            }
            text = expanded
        }
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw CronError.invalidExpression(expression: expression, field: "whole expression",
                                              reason: "expected 5 fields (minute hour day-of-month month day-of-week), got \(fields.count)")
        }
        self.expression = expression
        self.timeZone = zone
        self.timeZoneIdentifier = timeZone
        minutes = try CronField.parse(fields[0], range: 0...59, field: "minute", expression: expression)
        hours = try CronField.parse(fields[1], range: 0...23, field: "hour", expression: expression)
        daysOfMonth = try CronField.parse(fields[2], range: 1...31, field: "day-of-month", expression: expression)
        months = try CronField.parse(fields[3], range: 1...12, names: Self.monthNames, field: "month", expression: expression)
        let weekdays = try CronField.parse(fields[4], range: 0...7, names: Self.dayNames, rangeEndNames: ["sun": 7],
                                           field: "day-of-week", expression: expression)
        // 7 is another name for Sunday.
        daysOfWeek = CronField(mask: (weekdays.mask & 0x7F) | (weekdays.contains(7) ? 1 : 0), isWildcard: weekdays.isWildcard)
    }

    public var description: String { "\(expression) (\(timeZoneIdentifier))" }

    /// The first run strictly after `instant`; nil if the expression never matches (such as
    /// `0 0 30 2 *`).
    public func nextRun(after instant: Instant) -> Instant? {
        let after = instant.secondsSinceEpoch
        // Near a DST change, start early by the size of the change, so the second pass of a
        // repeated hour is seen.
        let local = after + offset(at: after)
        let (before, afterChange) = offsetsAround(civil: local)
        var civil = ((local - abs(before - afterChange)).floorDivided(by: 60)) * 60
        var best: Int64?
        for _ in 0..<10_000 {
            guard let candidate = nextMatchingCivilMinute(atOrAfter: civil) else { break }
            let (before, afterChange) = offsetsAround(civil: candidate)
            if let best, candidate - max(before, afterChange) > best { break }
            var instants = instantsOf(civil: candidate, offsets: (before, afterChange))
            if !isInterval { instants = Array(instants.prefix(1)) }
            for run in instants where run > after {
                if best == nil || run < best! { best = run }
            }
            civil = candidate + 60
        }
        return best.map { Instant(secondsSinceEpoch: $0) }
    }

    /// Whether this is an interval job for daylight-saving purposes (minute or hour field
    /// starting with `*`), as cron's MIN_STAR / HR_STAR flags.
    private var isInterval: Bool { minutes.isWildcard || hours.isWildcard }

    // MARK: Civil (local wall-clock) time, as seconds since 1970-01-01T00:00 local.

    private func offset(at seconds: Int64) -> Int64 {
        Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
    }

    /// The UTC offsets in force a day before and a day after a civil time.
    private func offsetsAround(civil: Int64) -> (Int64, Int64) {
        (offset(at: civil - 86_400), offset(at: civil + 86_400))
    }

    /// The instants (seconds, ascending) showing civil time `civil`: one normally, two in a
    /// repeated hour, and for a skipped time the instant of the change (none for an interval
    /// job, whose runs in the gap do not happen).
    private func instantsOf(civil: Int64, offsets: (Int64, Int64)) -> [Int64] {
        let candidates = Set([civil - offsets.0, civil - offsets.1]).sorted()
        let valid = candidates.filter { offset(at: $0) == civil - $0 }
        if !valid.isEmpty { return valid }
        if isInterval { return [] }
        // In a gap: find the first instant with the later offset (binary search over the gap).
        var low = civil - max(offsets.0, offsets.1)
        var high = civil - min(offsets.0, offsets.1)
        let laterOffset = offsets.1
        guard offset(at: high) == laterOffset else { return [] }
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offset(at: middle) == laterOffset { high = middle } else { low = middle }
        }
        return [high]
    }

    /// The first civil minute at or after `civil` whose fields match; nil if none within 30 years.
    private func nextMatchingCivilMinute(atOrAfter civil: Int64) -> Int64? {
        var days = Int(civil.floorDivided(by: 86_400))
        let secondOfDay = Int(civil - Int64(days) * 86_400)
        var hour = secondOfDay / 3600
        var minute = (secondOfDay % 3600 + 59) / 60  // round a partial minute up
        let lastDay = days + 366 * 30
        while days <= lastDay {
            if minute == 60 { minute = 0; hour += 1 }
            if hour == 24 { hour = 0; days += 1; continue }
            let (year, month, day) = CivilCalendar.date(days: days)
            guard months.contains(month) else {
                days = CivilCalendar.days(year: month == 12 ? year + 1 : year, month: month % 12 + 1, day: 1)
                (hour, minute) = (0, 0)
                continue
            }
            guard dayMatches(days: days, day: day) else {
                days += 1
                (hour, minute) = (0, 0)
                continue
            }
            guard let matchingHour = hours.next(atOrAbove: hour), matchingHour < 24 else {
                days += 1
                (hour, minute) = (0, 0)
                continue
            }
            if matchingHour != hour { (hour, minute) = (matchingHour, 0) }
            guard let matchingMinute = minutes.next(atOrAbove: minute), matchingMinute < 60 else {
                (hour, minute) = (hour + 1, 0)
                continue
            }
            return Int64(days) * 86_400 + Int64(hour * 3600 + matchingMinute * 60)
        }
        return nil
    }

    private func dayMatches(days: Int, day: Int) -> Bool {
        let dayOfMonth = daysOfMonth.contains(day)
        let dayOfWeek = daysOfWeek.contains(CivilCalendar.weekday(days: days))
        return daysOfMonth.isWildcard || daysOfWeek.isWildcard ? dayOfMonth && dayOfWeek : dayOfMonth || dayOfWeek
    }
}

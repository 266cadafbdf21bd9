import Determinism
import LocalCloud

/// The time formats AWS puts on the wire: RFC 1123 in HTTP headers (`Last-Modified`) and
/// ISO 8601 with milliseconds in S3's XML (`LastModified`).
public enum WireTime {
    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Tue, 01 Dec 2026 07:15:01 GMT` (whole seconds, as HTTP dates have).
    public static func httpDate(_ instant: Instant) -> String {
        let (days, second) = split(instant)
        let (year, month, day) = CivilCalendar.date(days: days)
        let weekday = weekdays[((days % 7) + 7) % 7]
        return "\(weekday), \(pad(day, 2)) \(months[month - 1]) \(pad(year, 4)) "
            + "\(pad(second / 3600, 2)):\(pad(second / 60 % 60, 2)):\(pad(second % 60, 2)) GMT"
    }

    /// Parses an RFC 1123 date (`Tue, 01 Dec 2026 07:15:01 GMT`); nil for anything else.
    public static func parseHTTPDate(_ text: String) -> Instant? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let year = Int(parts[3]),
              let monthIndex = months.firstIndex(of: String(parts[2]))
        else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3, (1...CivilCalendar.daysInMonth(year: year, month: monthIndex + 1)).contains(day),
              clock[0] < 24, clock[1] < 60, clock[2] < 61
        else { return nil }
        let days = CivilCalendar.days(year: year, month: monthIndex + 1, day: day)
        return Instant(nanosecondsSinceEpoch: (Int64(days) * 86_400 + Int64(clock[0] * 3600 + clock[1] * 60 + clock[2])) * 1_000_000_000)
    }

    /// `2026-12-01T07:15:01.000Z`, as S3's listings write times.
    public static func s3Timestamp(_ instant: Instant) -> String {
        let (days, second) = split(instant)
        let (year, month, day) = CivilCalendar.date(days: days)
        let millis = Int((instant.nanosecondsSinceEpoch - instant.secondsSinceEpoch * 1_000_000_000) / 1_000_000)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(second / 3600, 2)):\(pad(second / 60 % 60, 2)):"
            + "\(pad(second % 60, 2)).\(pad(millis, 3))Z"
    }

    /// Whole days since the epoch and the second of that day.
    private static func split(_ instant: Instant) -> (days: Int, second: Int) {
        let seconds = instant.secondsSinceEpoch
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return (Int(days), Int(seconds - days * 86_400))
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

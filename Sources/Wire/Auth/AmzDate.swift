import Determinism
import LocalCloud

/// The request times Signature V4 reads: `X-Amz-Date`'s basic ISO 8601 (`20130524T000000Z`,
/// always UTC, whole seconds) and the HTTP `Date` header (RFC 1123).
enum AmzDate {
    /// `yyyyMMdd'T'HHmmss'Z'` in UTC, the fraction of a second dropped.
    static func string(_ instant: Instant) -> String {
        let seconds = instant.secondsSinceEpoch
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let second = Int(seconds - days * 86_400)
        let (year, month, day) = CivilCalendar.date(days: Int(days))
        return pad(year, 4) + pad(month, 2) + pad(day, 2) + "T"
            + pad(second / 3600, 2) + pad(second / 60 % 60, 2) + pad(second % 60, 2) + "Z"
    }

    /// Parses `yyyyMMdd'T'HHmmss'Z'` exactly; nil for anything else.
    static func parse(_ text: String) -> Instant? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            let digits = bytes[range]
            guard digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
            return digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
              let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15)
        else { return nil }
        return instant(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offsetSeconds: 0)
    }

    /// Parses an RFC 1123 date, `Fri, 24 May 2013 00:00:00 GMT`: the weekday is optional and the
    /// zone may be `GMT`, `UTC`, `UT`, `Z` or a numeric offset such as `-0000` (which Python's
    /// `email.utils.formatdate`, and so botocore, writes). Nil for anything else.
    static func parseHTTPDate(_ text: String) -> Instant? {
        var parts = text.split(separator: " ").map(String.init)
        if let first = parts.first, first.hasSuffix(",") { parts.removeFirst() }
        guard parts.count == 5, let day = Int(parts[0]), let month = months.firstIndex(of: parts[1]).map({ $0 + 1 }),
              parts[2].utf8.count == 4, let year = Int(parts[2]), let offset = offsetSeconds(parts[4])
        else { return nil }
        let clock = parts[3].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, clock.allSatisfy({ $0.utf8.count == 2 }),
              let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2])
        else { return nil }
        return instant(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offsetSeconds: offset)
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Seconds east of UTC for an RFC 1123 zone.
    private static func offsetSeconds(_ zone: String) -> Int? {
        if ["GMT", "UTC", "UT", "Z"].contains(zone) { return 0 }
        let bytes = Array(zone.utf8)
        guard bytes.count == 5, bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-"),
              let hours = Int(zone.dropFirst().prefix(2)), let minutes = Int(zone.suffix(2)), minutes < 60
        else { return nil }
        return (bytes[0] == UInt8(ascii: "-") ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    private static func instant(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
                                offsetSeconds: Int) -> Instant? {
        guard (1...12).contains(month), (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day),
              hour < 24, minute < 60, second < 60
        else { return nil }
        let days = Int64(CivilCalendar.days(year: year, month: month, day: day))
        return Instant(secondsSinceEpoch: days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds))
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

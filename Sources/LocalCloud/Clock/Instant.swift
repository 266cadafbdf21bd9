import Determinism
import Foundation

/// A point in time: whole nanoseconds since 1970-01-01T00:00:00Z (UTC, no leap seconds).
///
/// Every time in LocalCloud (object timestamps, leases, schedules) is an `Instant` taken from a
/// `CloudClock`. It encodes as an ISO-8601 string in UTC such as `2026-03-29T01:00:00Z` (fractional
/// seconds only when present), so persisted and printed times are exact and readable.
public struct Instant: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Nanoseconds since the Unix epoch; negative before 1970.
    public var nanosecondsSinceEpoch: Int64

    public init(nanosecondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    /// The instant a whole number of seconds after the epoch, clamped to the representable range
    /// (about the years 1677…2262, see `earliest` and `latest`).
    public init(secondsSinceEpoch: Int64) {
        let (nanoseconds, overflow) = secondsSinceEpoch.multipliedReportingOverflow(by: 1_000_000_000)
        self.nanosecondsSinceEpoch = overflow ? (secondsSinceEpoch < 0 ? .min : .max) : nanoseconds
    }

    /// The earliest representable instant (1677-09-21T00:12:43.145224192Z).
    public static let earliest = Instant(nanosecondsSinceEpoch: .min)

    /// The latest representable instant (2262-04-11T23:47:16.854775807Z).
    public static let latest = Instant(nanosecondsSinceEpoch: .max)

    /// The Unix epoch, 1970-01-01T00:00:00Z.
    public static let epoch = Instant(nanosecondsSinceEpoch: 0)

    /// Whole seconds since the epoch, rounded down.
    public var secondsSinceEpoch: Int64 {
        let (quotient, remainder) = nanosecondsSinceEpoch.quotientAndRemainder(dividingBy: 1_000_000_000)
        return remainder < 0 ? quotient - 1 : quotient
    }

    /// This instant moved by `duration` (negative durations move it back), saturating at
    /// `earliest` and `latest` instead of overflowing.
    public func advanced(by duration: Duration) -> Instant {
        Instant(nanosecondsSinceEpoch: nanosecondsSinceEpoch.saturatingAdding(duration.nanosecondsClamped))
    }

    /// The duration from this instant to `other` (negative if `other` is earlier). Exact for any
    /// two instants (`Duration` is wider than `Int64` nanoseconds).
    public func duration(to other: Instant) -> Duration {
        .nanoseconds(other.nanosecondsSinceEpoch) - .nanoseconds(nanosecondsSinceEpoch)
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }

    /// The same instant as a Foundation `Date`.
    public var date: Date {
        Date(timeIntervalSince1970: Double(nanosecondsSinceEpoch) / 1e9)
    }

    /// ISO-8601 in UTC, e.g. `2026-11-26T13:55:22Z` or `2026-11-26T13:55:22.125Z`.
    public var iso8601: String {
        let seconds = secondsSinceEpoch
        let remainder = Int(nanosecondsSinceEpoch % 1_000_000_000)  // computed so `earliest` does not overflow
        let nanos = remainder < 0 ? remainder + 1_000_000_000 : remainder
        let days = Int(seconds.floorDivided(by: 86_400))
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let (year, month, day) = CivilCalendar.date(days: days)
        // Written as bytes, not by joining strings: a stream writes one per tweet.
        var text: [UInt8] = []
        text.reserveCapacity(30)
        appendPadded(year, 4, to: &text, then: "-")
        appendPadded(month, 2, to: &text, then: "-")
        appendPadded(day, 2, to: &text, then: "T")
        appendPadded(secondOfDay / 3600, 2, to: &text, then: ":")
        appendPadded(secondOfDay / 60 % 60, 2, to: &text, then: ":")
        appendPadded(secondOfDay % 60, 2, to: &text)
        if nanos != 0 {
            var fraction = nanos, width = 9  // without its trailing zeros
            while fraction % 10 == 0 {
                fraction /= 10
                width -= 1
            }
            text.append(UInt8(ascii: "."))
            appendPadded(fraction, width, to: &text)
        }
        text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }

    public var description: String { iso8601 }

    /// Parses `YYYY-MM-DDTHH:MM[:SS[.fraction]]` (a space may stand for the `T`; the fraction
    /// has 1 to 9 digits) followed by `Z` or a `±HH:MM` offset. Returns nil for anything else,
    /// and for times outside `earliest`…`latest`.
    ///
    /// Read byte by byte rather than with a `Regex`: a stream parses one per tweet, and a regex
    /// literal is compiled again on every call.
    public init?(iso8601 text: String) {
        var reader = DigitReader(text.utf8)
        guard let year = reader.number(4), reader.skip("-"), let month = reader.number(2), reader.skip("-"),
              let day = reader.number(2), reader.skip("T") || reader.skip(" "),
              let hour = reader.number(2), reader.skip(":"), let minute = reader.number(2)
        else { return nil }
        var second = 0
        var nanos: Int64 = 0
        if reader.skip(":") {
            guard let read = reader.number(2) else { return nil }
            second = read
            if reader.skip(".") {
                let digits = reader.digitCount(upTo: 9)
                guard digits > 0, let fraction = reader.number(digits) else { return nil }
                nanos = Int64(fraction) * [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000][9 - digits]
            }
        }
        var offsetSeconds = 0
        if !reader.skip("Z") {
            let sign = reader.skip("-") ? -1 : (reader.skip("+") ? 1 : 0)
            guard sign != 0, let hours = reader.number(2), reader.skip(":"), let minutes = reader.number(2) else { return nil }
            offsetSeconds = sign * (hours * 3600 + minutes * 60)
        }
        guard reader.atEnd, (1...12).contains(month), (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day),
              hour < 24, minute < 60, second < 60
        else { return nil }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        guard let total = Int64(exactly: Int128(seconds) * 1_000_000_000 + Int128(nanos)) else { return nil }
        self.nanosecondsSinceEpoch = total
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let instant = Instant(iso8601: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected an ISO-8601 time like 2026-01-31T12:00:00Z, got \"\(text)\"")
        }
        self = instant
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }
}

/// Reads ASCII digits and separators off the front of UTF-8 text.
private struct DigitReader {
    private let bytes: String.UTF8View
    private var index: String.UTF8View.Index

    init(_ bytes: String.UTF8View) {
        self.bytes = bytes
        index = bytes.startIndex
    }

    var atEnd: Bool { index == bytes.endIndex }

    /// Steps over `character` (ASCII) if it comes next.
    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index != bytes.endIndex, bytes[index] == UInt8(ascii: character) else { return false }
        bytes.formIndex(after: &index)
        return true
    }

    /// How many ASCII digits come next, counting at most `limit`.
    func digitCount(upTo limit: Int) -> Int {
        var count = 0
        var probe = index
        while count < limit, probe != bytes.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[probe]) {
            count += 1
            bytes.formIndex(after: &probe)
        }
        return count
    }

    /// Exactly `width` ASCII digits as a number, or nil (and nothing read) if fewer come next.
    mutating func number(_ width: Int) -> Int? {
        guard digitCount(upTo: width) == width else { return nil }
        var value = 0
        for _ in 0..<width {
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            bytes.formIndex(after: &index)
        }
        return value
    }
}

/// Appends `value` (not negative: a part of a date or time) in decimal, with zeros in front up
/// to `width` digits, then `separator`. The digits go straight into `text`, without a `String`
/// per number: a stream formats several per tweet.
private func appendPadded(_ value: Int, _ width: Int, to text: inout [UInt8], then separator: Unicode.Scalar? = nil) {
    var divisor = 1
    var length = 1
    while value / divisor >= 10 {
        divisor *= 10
        length += 1
    }
    if length < width { text.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - length)) }
    while divisor > 0 {
        text.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
        divisor /= 10
    }
    if let separator { text.append(UInt8(ascii: separator)) }
}

extension Int64 {
    /// `self + other`, clamped to the `Int64` range instead of overflowing.
    func saturatingAdding(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other < 0 ? .min : .max) : sum
    }

    /// `self - other`, clamped to the `Int64` range instead of overflowing.
    func saturatingSubtracting(_ other: Int64) -> Int64 {
        let (difference, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other < 0 ? .max : .min) : difference
    }

    /// Division rounding towards negative infinity.
    func floorDivided(by divisor: Int64) -> Int64 {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return (remainder != 0 && (remainder < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

extension Duration {
    /// This duration in whole nanoseconds, clamped to the `Int64` range.
    var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (total, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflow2 ? (seconds < 0 ? .min : .max) : total
    }
}

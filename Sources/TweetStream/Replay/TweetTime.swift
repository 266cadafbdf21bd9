import LocalCloud

/// The two ways a tweet's time shows on the wire: `created_at` and the snowflake id.
public enum TweetTime {
    /// Twitter's snowflake epoch, 2010-11-04T01:42:54.657Z, in milliseconds since 1970.
    public static let snowflakeEpochMilliseconds: Int64 = 1_288_834_974_657

    /// `instant` as v2 prints `created_at`: ISO-8601 in UTC with exactly three fractional
    /// digits, e.g. `2026-01-01T00:00:01.250Z` (truncated to the millisecond).
    public static func createdAt(_ instant: Instant) -> String {
        let milliseconds = instant.nanosecondsSinceEpoch.floorDividedBy(1_000_000)
        let fraction = Int(milliseconds - milliseconds.floorDividedBy(1000) * 1000)
        // Whole seconds print as `…:SSZ`; built as bytes, since a stream prints one per tweet.
        var text = Array(Instant(secondsSinceEpoch: milliseconds.floorDividedBy(1000)).iso8601.utf8.dropLast())
        text += [UInt8(ascii: "."), UInt8(48 + fraction / 100), UInt8(48 + fraction / 10 % 10), UInt8(48 + fraction % 10), UInt8(ascii: "Z")]
        return String(decoding: text, as: UTF8.self)
    }

    /// A snowflake id for a tweet created at `instant`: milliseconds since the snowflake epoch
    /// in the high bits, then 10 bits of `worker` and a 12-bit `sequence`. Ids made after
    /// mid-2018 have 19 decimal digits, as real tweet ids of that time do.
    public static func snowflake(at instant: Instant, worker: UInt64, sequence: UInt64) -> UInt64 {
        let milliseconds = max(0, instant.nanosecondsSinceEpoch.floorDividedBy(1_000_000) - snowflakeEpochMilliseconds)
        return UInt64(milliseconds) << 22 | (worker & 0x3FF) << 12 | (sequence & 0xFFF)
    }
}

extension Int64 {
    /// Division rounding towards negative infinity.
    func floorDividedBy(_ divisor: Int64) -> Int64 {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return remainder != 0 && (remainder < 0) != (divisor < 0) ? quotient - 1 : quotient
    }
}

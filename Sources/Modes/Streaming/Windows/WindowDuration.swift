/// Durations as the windowing engine holds them: whole milliseconds (Beam's timestamp
/// granularity), so that window bounds, lateness and delays are exact and encode exactly.
enum WindowDuration {
    /// `duration` in whole nanoseconds, after checking that it is a whole number of milliseconds
    /// that fits in 64-bit nanoseconds, and positive (or not negative, with `allowingZero`).
    static func nanoseconds(_ duration: Duration, field: String, allowingZero: Bool = false) throws(WindowingError) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
        guard attoseconds % attosecondsPerMillisecond == 0 else {
            throw WindowingError(field: field, reason: "must be a whole number of milliseconds, got \(duration)")
        }
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        guard !overflow, !overflow2 else {
            throw WindowingError(field: field, reason: "must be at most 292 years (64-bit nanoseconds), got \(duration)")
        }
        guard allowingZero ? total >= 0 : total > 0 else {
            throw WindowingError(field: field, reason: "must be \(allowingZero ? "zero or positive" : "positive"), got \(duration)")
        }
        return total
    }

    /// `duration` in whole milliseconds (exact for durations checked by `nanoseconds(_:field:)`;
    /// rounded towards zero otherwise).
    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds &* 1000 &+ attoseconds / 1_000_000_000_000_000
    }

    /// A short readable name: `1h`, `5m`, `30s` or `250ms`, the largest unit that divides it.
    static func name(_ duration: Duration) -> String {
        let milliseconds = milliseconds(duration)
        for (unit, size) in [("h", Int64(3_600_000)), ("m", 60_000), ("s", 1000)] where milliseconds % size == 0 {
            return "\(milliseconds / size)\(unit)"
        }
        return "\(milliseconds)ms"
    }
}

extension Int64 {
    /// `self + other`, clamped to the `Int64` range instead of overflowing (window ends and
    /// expiry times near `Instant.latest`).
    func clampedAdding(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other < 0 ? .min : .max) : sum
    }

    /// Division rounding towards negative infinity (window starts before 1970 too).
    func flooredDivided(by divisor: Int64) -> Int64 {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return (remainder != 0 && (remainder < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

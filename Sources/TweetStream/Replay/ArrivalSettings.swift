/// How tweets arrive on the emulated stream: a seeded Poisson process with a base rate, bursts
/// that multiply the rate for a while, and optionally late tweets.
public struct ArrivalSettings: Sendable, Equatable {
    /// The seed of every random choice (gaps, lateness, authors, rule ids).
    public var seed: UInt64
    /// Tweets per second of stream time outside bursts.
    public var rate: Double
    /// Periods with a higher (or lower) rate. Where bursts overlap, their multipliers multiply.
    public var bursts: [Burst]
    /// Late tweets, or nil for none: every tweet's `created_at` is then its arrival time.
    public var late: LateArrivals?

    /// Settings; check them with ``validate()``.
    public init(seed: UInt64, rate: Double, bursts: [Burst] = [], late: LateArrivals? = nil) {
        self.seed = seed
        self.rate = rate
        self.bursts = bursts
        self.late = late
    }

    /// Throws ``ScheduleError`` naming the first field that is out of range.
    public func validate() throws(ScheduleError) {
        guard rate.isFinite, rate > 0 else { throw ScheduleError(field: "rate", "expected tweets per second above 0, got \(rate)") }
        for (index, burst) in bursts.enumerated() {
            let field = "bursts[\(index)]"
            guard burst.start >= .zero else { throw ScheduleError(field: "\(field).start", "expected an offset of 0 or more from the stream's start, got \(burst.start)") }
            guard burst.duration > .zero else { throw ScheduleError(field: "\(field).duration", "expected a duration above 0, got \(burst.duration)") }
            guard burst.multiplier.isFinite, burst.multiplier > 0 else {
                throw ScheduleError(field: "\(field).multiplier", "expected a rate multiplier above 0, got \(burst.multiplier)")
            }
        }
        if let late {
            guard late.fraction.isFinite, (0...1).contains(late.fraction) else {
                throw ScheduleError(field: "late.fraction", "expected a fraction from 0 to 1, got \(late.fraction)")
            }
            guard late.maxDelay >= .milliseconds(1) else {
                throw ScheduleError(field: "late.max_delay", "expected at least 1 ms, got \(late.maxDelay)")
            }
        }
    }
}

/// A period of stream time in which the arrival rate is multiplied.
public struct Burst: Sendable, Equatable {
    /// When the burst starts, from the stream's start.
    public var start: Duration
    /// How long it lasts.
    public var duration: Duration
    /// The factor on the base rate while it lasts (10 = ten times as many tweets).
    public var multiplier: Double

    /// A burst from `start` for `duration` at `multiplier` × the base rate.
    public init(start: Duration, duration: Duration, multiplier: Double) {
        self.start = start
        self.duration = duration
        self.multiplier = multiplier
    }
}

/// Late (out-of-order) tweets: a `fraction` of tweets were created up to `maxDelay` before they
/// arrive, so they arrive after tweets created later than them.
public struct LateArrivals: Sendable, Equatable {
    /// The share of tweets that arrive late, 0…1.
    public var fraction: Double
    /// The longest delay between a late tweet's creation and its arrival; delays are uniform in
    /// 1 ms…`maxDelay`, in whole milliseconds.
    public var maxDelay: Duration

    /// Late arrivals for `fraction` of tweets, delayed by up to `maxDelay`.
    public init(fraction: Double, maxDelay: Duration) {
        self.fraction = fraction
        self.maxDelay = maxDelay
    }
}

/// An ``ArrivalSettings`` field out of range.
public struct ScheduleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The field, e.g. `bursts[1].multiplier` or `texts`.
    public let field: String
    /// What was expected and what was found.
    public let message: String

    init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

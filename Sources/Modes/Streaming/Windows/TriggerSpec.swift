/// When a window's panes fire, as Beam's
/// `AfterWatermark.pastEndOfWindow().withEarlyFirings(…).withLateFirings(AfterPane.elementCountAtLeast(1))`
/// with `withAllowedLateness` and an accumulation mode.
///
/// - An ON_TIME pane fires when the watermark reaches the window's end, unless it would be
///   empty: it always holds elements when accumulating, and when discarding it fires only if
///   elements arrived since the last EARLY pane (Beam's default `FIRE_ALWAYS` would fire an empty
///   pane there; this engine never fires an empty pane).
/// - EARLY panes fire before that, as `early` says.
/// - After the end, each element within `allowedLateness` fires a LATE pane at once; the window
///   expires (and its state is dropped) when the watermark reaches end + `allowedLateness`, and
///   elements for expired windows are counted as dropped.
public struct TriggerSpec: Sendable, Hashable {
    /// How long after a window's end its late elements are still taken (zero or positive, whole
    /// milliseconds of event time, measured by the watermark).
    public var allowedLateness: Duration
    /// Speculative firings before the watermark passes the window's end; nil for none.
    public var early: EarlyFiring?
    /// Whether a pane holds every element of its window so far or only those since the last pane.
    public var accumulation: AccumulationMode

    public init(allowedLateness: Duration = .zero, early: EarlyFiring? = nil, accumulation: AccumulationMode = .discarding) {
        self.allowedLateness = allowedLateness
        self.early = early
        self.accumulation = accumulation
    }
}

/// EARLY firings of a window before the watermark passes its end (Beam's
/// `Repeatedly.forever(AfterFirst.of(AfterPane.elementCountAtLeast(n),
/// AfterProcessingTime.pastFirstElementInPane().plusDelayOf(interval)))`): whichever comes
/// first, then both start over.
public struct EarlyFiring: Sendable, Hashable {
    /// Fire once this many elements have arrived in the window (per key) since its last pane.
    public var everyCount: Int?
    /// Fire once this much processing time has passed since the first element after the window's
    /// last pane (or its first element): the window has no timer while nothing is pending, so no
    /// early pane is ever empty.
    public var everyProcessingTime: Duration?

    /// Early firings by count, by processing time, or by whichever comes first; at least one is required.
    public init(everyCount: Int? = nil, everyProcessingTime: Duration? = nil) {
        self.everyCount = everyCount
        self.everyProcessingTime = everyProcessingTime
    }

    /// An early pane every `count` elements.
    public static func everyCount(_ count: Int) -> EarlyFiring { EarlyFiring(everyCount: count) }

    /// An early pane `interval` of processing time after the first pending element.
    public static func everyProcessingTime(_ interval: Duration) -> EarlyFiring { EarlyFiring(everyProcessingTime: interval) }
}

/// What a window's later panes hold (Beam's `AccumulationMode`).
public enum AccumulationMode: String, Sendable, Hashable, Codable {
    /// Every pane holds all the window's elements so far: a LATE pane's counts include the earlier panes'.
    case accumulating = "ACCUMULATING"
    /// Every pane holds only the elements since the window's previous pane.
    case discarding = "DISCARDING"
}

/// The trigger in nanoseconds, validated.
struct TriggerTimes: Sendable {
    let allowedLatenessNanoseconds: Int64
    let everyCount: Int?
    let everyProcessingTimeNanoseconds: Int64?

    /// Validates `trigger`; errors name `trigger.allowedLateness`, `trigger.early.everyCount`, ….
    init(_ trigger: TriggerSpec) throws(WindowingError) {
        allowedLatenessNanoseconds = try WindowDuration.nanoseconds(
            trigger.allowedLateness, field: "trigger.allowedLateness", allowingZero: true)
        guard let early = trigger.early else {
            everyCount = nil
            everyProcessingTimeNanoseconds = nil
            return
        }
        guard early.everyCount != nil || early.everyProcessingTime != nil else {
            throw WindowingError(field: "trigger.early", reason: "needs everyCount, everyProcessingTime or both (or no early firing at all)")
        }
        if let count = early.everyCount, count < 1 {
            throw WindowingError(field: "trigger.early.everyCount", reason: "must be at least 1, got \(count)")
        }
        everyCount = early.everyCount
        everyProcessingTimeNanoseconds = try early.everyProcessingTime.map { interval throws(WindowingError) in
            try WindowDuration.nanoseconds(interval, field: "trigger.early.everyProcessingTime")
        }
    }
}

extension TriggerSpec: Codable {
    private enum CodingKeys: String, CodingKey {
        case allowedLatenessMilliseconds = "allowed_lateness_ms", early, accumulation
    }

    /// Encodes as `{"allowed_lateness_ms": 60000, "early": {…}, "accumulation": "DISCARDING"}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(WindowDuration.milliseconds(allowedLateness), forKey: .allowedLatenessMilliseconds)
        try container.encodeIfPresent(early, forKey: .early)
        try container.encode(accumulation, forKey: .accumulation)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(allowedLateness: .milliseconds(try container.decode(Int64.self, forKey: .allowedLatenessMilliseconds)),
                  early: try container.decodeIfPresent(EarlyFiring.self, forKey: .early),
                  accumulation: try container.decode(AccumulationMode.self, forKey: .accumulation))
    }
}

extension EarlyFiring: Codable {
    private enum CodingKeys: String, CodingKey {
        case everyCount = "every_count", everyProcessingTimeMilliseconds = "every_processing_time_ms"
    }

    /// Encodes as `{"every_count": 100, "every_processing_time_ms": 10000}` (absent keys: not set).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(everyCount, forKey: .everyCount)
        try container.encodeIfPresent(everyProcessingTime.map(WindowDuration.milliseconds), forKey: .everyProcessingTimeMilliseconds)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(everyCount: try container.decodeIfPresent(Int.self, forKey: .everyCount),
                  everyProcessingTime: try container.decodeIfPresent(Int64.self, forKey: .everyProcessingTimeMilliseconds)
                      .map { .milliseconds($0) })
    }
}

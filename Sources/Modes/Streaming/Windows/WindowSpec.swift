/// How event time is cut into windows: Beam's `FixedWindows` (tumbling) and `SlidingWindows`,
/// both aligned to the Unix epoch (offset 0).
///
/// A window is the half-open interval [start, end) of event time, with `start` a multiple of the
/// period since 1970-01-01T00:00:00Z: an element at event time `t` falls in the windows whose
/// start is `floor(t / period) * period` or an earlier multiple of the period less than `size`
/// before it. A tumbling window's period is its size, so each element falls in exactly one; a
/// sliding window's size is a multiple of its period, so each element falls in `size / period`.
///
/// Sizes and periods are whole milliseconds (Beam's granularity); `WindowingEngine` checks them
/// with `validate()`.
public enum WindowSpec: Sendable, Hashable {
    /// Non-overlapping windows of `size` (default one minute), one after the other.
    case tumbling(size: Duration = .seconds(60))
    /// Overlapping windows of `size`, one starting every `period` (e.g. 5 minutes every minute).
    case sliding(size: Duration, period: Duration)

    /// The most windows one element may fall in (`size / period`), so that a spec cannot make
    /// every element cost millions of windows.
    public static let maximumWindowsPerElement = 1000

    /// How long each window lasts.
    public var size: Duration {
        switch self {
        case .tumbling(let size), .sliding(let size, _): size
        }
    }

    /// How far apart window starts are: the size for tumbling windows.
    public var period: Duration {
        switch self {
        case .tumbling(let size): size
        case .sliding(_, let period): period
        }
    }

    /// The name panes carry: `tumbling-1m`, `sliding-5m-every-1m` (units as in `30s`, `250ms`,
    /// `2h`: the largest that divides the duration). Valid specs with different windows have
    /// different names.
    public var name: String {
        switch self {
        case .tumbling(let size): "tumbling-\(WindowDuration.name(size))"
        case .sliding(let size, let period): "sliding-\(WindowDuration.name(size))-every-\(WindowDuration.name(period))"
        }
    }

    /// Checks that the size and period are positive whole milliseconds and that the size is a
    /// multiple of the period, at most `maximumWindowsPerElement` periods.
    /// - Throws: `WindowingError` naming `size` or `period`.
    public func validate() throws(WindowingError) {
        _ = try WindowAssigner(self, field: "window")
    }
}

/// A validated `WindowSpec` in nanoseconds: which windows hold an event time.
struct WindowAssigner: Sendable {
    let spec: WindowSpec
    let sizeNanoseconds: Int64
    let periodNanoseconds: Int64

    /// Validates `spec`; errors name `field.size` or `field.period`.
    init(_ spec: WindowSpec, field: String) throws(WindowingError) {
        self.spec = spec
        sizeNanoseconds = try WindowDuration.nanoseconds(spec.size, field: "\(field).size")
        periodNanoseconds = try WindowDuration.nanoseconds(spec.period, field: "\(field).period")
        guard sizeNanoseconds % periodNanoseconds == 0 else {
            throw WindowingError(field: "\(field).size",
                                 reason: "must be a multiple of the period \(spec.period), got \(spec.size)")
        }
        guard sizeNanoseconds / periodNanoseconds <= WindowSpec.maximumWindowsPerElement else {
            throw WindowingError(field: "\(field).size", reason: "must be at most \(WindowSpec.maximumWindowsPerElement) periods "
                                 + "(each element falls in size / period windows), got \(spec.size) every \(spec.period)")
        }
    }

    /// Calls `body` with the start (nanoseconds since the epoch) of each window holding
    /// `eventTime`, earliest first.
    func forEachWindowStart(containing eventTime: Int64, _ body: (Int64) -> Void) {
        let latest = eventTime.flooredDivided(by: periodNanoseconds).multipliedReportingOverflow(by: periodNanoseconds)
        guard !latest.overflow else { return }  // before representable window starts (about 1677)
        for back in stride(from: sizeNanoseconds / periodNanoseconds - 1, through: 0, by: -1) {
            let (start, overflow) = latest.partialValue.subtractingReportingOverflow(back * periodNanoseconds)
            if !overflow { body(start) }
        }
    }

    /// The end of the window starting at `start` (exclusive), clamped at `Instant.latest`.
    func windowEnd(start: Int64) -> Int64 { start.clampedAdding(sizeNanoseconds) }
}

extension WindowSpec: Codable {
    private enum CodingKeys: String, CodingKey {
        case kind, sizeMilliseconds = "size_ms", periodMilliseconds = "period_ms"
    }

    /// Encodes as `{"kind": "tumbling", "size_ms": 60000}` or
    /// `{"kind": "sliding", "size_ms": 300000, "period_ms": 60000}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .tumbling(let size):
            try container.encode("tumbling", forKey: .kind)
            try container.encode(WindowDuration.milliseconds(size), forKey: .sizeMilliseconds)
        case .sliding(let size, let period):
            try container.encode("sliding", forKey: .kind)
            try container.encode(WindowDuration.milliseconds(size), forKey: .sizeMilliseconds)
            try container.encode(WindowDuration.milliseconds(period), forKey: .periodMilliseconds)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let size = Duration.milliseconds(try container.decode(Int64.self, forKey: .sizeMilliseconds))
        switch try container.decode(String.self, forKey: .kind) {
        case "tumbling": self = .tumbling(size: size)
        case "sliding": self = .sliding(size: size, period: .milliseconds(try container.decode(Int64.self, forKey: .periodMilliseconds)))
        case let kind:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container,
                                                   debugDescription: "expected \"tumbling\" or \"sliding\", got \"\(kind)\"")
        }
    }
}

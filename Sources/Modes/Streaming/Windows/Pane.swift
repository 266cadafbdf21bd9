import LocalCloud

/// One firing of one window for one key: the counts per label and mean score it holds, and
/// where it stands among the window's panes (Beam's `PaneInfo`).
///
/// It encodes with snake_case keys, instants as ISO-8601 text, the timing as `EARLY`, `ON_TIME`
/// or `LATE`, and `counts` with its labels in sorted order.
public struct Pane: Sendable, Equatable, Codable {
    /// Why a pane fired (Beam's `PaneInfo.Timing`).
    public enum Timing: String, Sendable, Codable {
        /// Before the watermark passed the window's end: a speculative result.
        case early = "EARLY"
        /// When the watermark passed the window's end.
        case onTime = "ON_TIME"
        /// For an element that arrived after the watermark passed the window's end, within the
        /// allowed lateness.
        case late = "LATE"
    }

    /// The grouping key (rule tag).
    public var key: String
    /// The window spec's name, e.g. `tumbling-1m` or `sliding-5m-every-1m` (`WindowSpec.name`).
    public var window: String
    /// The window's first instant.
    public var windowStart: Instant
    /// The window's end, exclusive.
    public var windowEnd: Instant
    /// Why the pane fired.
    public var timing: Timing
    /// 0 for the window's (and key's) first pane, then 1, 2, … (`PaneInfo.getIndex`).
    public var index: Int
    /// Among the ON_TIME and LATE panes, 0, 1, …; −1 for EARLY panes (`PaneInfo.getNonSpeculativeIndex`).
    public var nonSpeculativeIndex: Int
    /// Whether this is the window's first pane.
    public var isFirst: Bool
    /// Whether no later pane can come: the watermark has reached the window's end plus the allowed
    /// lateness, so the window is expired (an ON_TIME pane with no allowed lateness is last).
    public var isLast: Bool
    /// How many elements the pane holds (all the window's so far when accumulating, those since
    /// the previous pane when discarding); never 0.
    public var count: Int
    /// How many elements per predicted label.
    public var counts: [String: Int]
    /// The sum of the elements' scores, added in arrival order, divided by `count`.
    public var meanScore: Double

    public init(key: String, window: String, windowStart: Instant, windowEnd: Instant, timing: Timing, index: Int,
                nonSpeculativeIndex: Int, isFirst: Bool, isLast: Bool, count: Int, counts: [String: Int], meanScore: Double) {
        self.key = key
        self.window = window
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.timing = timing
        self.index = index
        self.nonSpeculativeIndex = nonSpeculativeIndex
        self.isFirst = isFirst
        self.isLast = isLast
        self.count = count
        self.counts = counts
        self.meanScore = meanScore
    }

    private enum CodingKeys: String, CodingKey {
        case key, window, windowStart = "window_start", windowEnd = "window_end", timing, index
        case nonSpeculativeIndex = "non_speculative_index", isFirst = "is_first", isLast = "is_last"
        case count, counts, meanScore = "mean_score"
    }

    /// A label as a JSON key of `counts`.
    private struct LabelKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode(window, forKey: .window)
        try container.encode(windowStart, forKey: .windowStart)
        try container.encode(windowEnd, forKey: .windowEnd)
        try container.encode(timing, forKey: .timing)
        try container.encode(index, forKey: .index)
        try container.encode(nonSpeculativeIndex, forKey: .nonSpeculativeIndex)
        try container.encode(isFirst, forKey: .isFirst)
        try container.encode(isLast, forKey: .isLast)
        try container.encode(count, forKey: .count)
        var labels = container.nestedContainer(keyedBy: LabelKey.self, forKey: .counts)
        for label in counts.keys.sorted() {
            try labels.encode(counts[label], forKey: LabelKey(stringValue: label))
        }
        try container.encode(meanScore, forKey: .meanScore)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(key: try container.decode(String.self, forKey: .key),
                  window: try container.decode(String.self, forKey: .window),
                  windowStart: try container.decode(Instant.self, forKey: .windowStart),
                  windowEnd: try container.decode(Instant.self, forKey: .windowEnd),
                  timing: try container.decode(Timing.self, forKey: .timing),
                  index: try container.decode(Int.self, forKey: .index),
                  nonSpeculativeIndex: try container.decode(Int.self, forKey: .nonSpeculativeIndex),
                  isFirst: try container.decode(Bool.self, forKey: .isFirst),
                  isLast: try container.decode(Bool.self, forKey: .isLast),
                  count: try container.decode(Int.self, forKey: .count),
                  counts: try container.decode([String: Int].self, forKey: .counts),
                  meanScore: try container.decode(Double.self, forKey: .meanScore))
    }
}

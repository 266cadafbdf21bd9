import LocalCloud

/// One prediction entering the windows: a tweet's label and score under one rule tag, at the
/// tweet's event time.
public struct WindowedElement: Sendable, Equatable {
    /// The grouping key: the rule tag the tweet matched. Windows and panes are per key.
    public var key: String
    /// When the tweet was published (event time); it places the element in its windows.
    public var eventTime: Instant
    /// The predicted label, counted per window.
    public var label: String
    /// The predicted score, averaged per pane. Finite scores keep every mean finite.
    public var score: Double
    /// The tweet id, for logs and tests; the engine does not deduplicate by it.
    public var id: String

    public init(key: String, eventTime: Instant, label: String, score: Double, id: String) {
        self.key = key
        self.eventTime = eventTime
        self.label = label
        self.score = score
        self.id = id
    }
}

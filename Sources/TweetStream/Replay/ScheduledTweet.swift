import LocalCloud

/// One tweet of a ``ReplaySchedule``: what the stream sends, and when it arrives.
public struct ScheduledTweet: Sendable, Equatable {
    /// Its place in the stream, from 0; tweets arrive in this order.
    public let position: Int
    /// The snowflake id, 19 decimal digits, increasing with `position`.
    public let id: String
    /// The corpus text.
    public let text: String
    /// The event time (`created_at`), to the millisecond; before `arrival` for a late tweet.
    public let createdAt: Instant
    /// The author's id (decimal), the same for every replay of the same corpus row and seed.
    public let authorID: String
    /// The language code: always `en` (the corpus is English).
    public let lang: String
    /// When the tweet arrives on the stream (processing time).
    public let arrival: Instant

    /// Whether the tweet arrives after its creation by more than a millisecond's rounding.
    public var isLate: Bool { createdAt.duration(to: arrival) >= .milliseconds(1) }
}

import LocalCloud

/// What one connection to the stream sends, and when: the pure timeline behind the server.
///
/// A connection made at instant c starts with the tweets arriving at or after c — or, with a
/// backfill of N minutes, at or after c − N min — and then follows the schedule. Events come
/// in a fixed order fixed by the schedule alone (never by when the caller happens to look):
/// the next tweet when it arrives no later than the heartbeat due, else the heartbeat, due
/// ``heartbeatInterval`` after the last line sent (tweet or heartbeat) or after c. Tweets that
/// match no rule are skipped and send nothing, so they do not reset the heartbeat: report the
/// ones that were sent with ``markSent(_:)``.
public struct StreamCursor: Sendable {
    /// v2's keep-alive period: a heartbeat after 20 s of stream time without data.
    public static let heartbeatInterval: Duration = .seconds(20)

    /// One thing due on the stream.
    public enum Event: Equatable, Sendable {
        /// The tweet at this schedule position is due (sent if it matches a rule).
        case tweet(Int)
        /// A heartbeat is due.
        case heartbeat
    }

    private let schedule: ReplaySchedule
    /// The next schedule position to consider.
    public private(set) var position: Int
    /// When the last line went out (or the connection was made).
    public private(set) var lastSentAt: Instant

    /// The timeline of a connection made at `connectedAt`, backfilling `backfill` of stream time.
    public init(schedule: ReplaySchedule, connectedAt: Instant, backfill: Duration = .zero) {
        self.schedule = schedule
        position = schedule.firstPosition(arrivingAtOrAfter: connectedAt.advanced(by: .zero - backfill))
        lastSentAt = connectedAt
    }

    /// When the next event falls due.
    public var nextEventTime: Instant {
        let heartbeat = lastSentAt.advanced(by: Self.heartbeatInterval)
        guard position < schedule.count else { return heartbeat }
        return min(schedule.arrival(at: position), heartbeat)
    }

    /// The next event due at or before `now`, or nil when none is.
    public mutating func next(dueBy now: Instant) -> Event? {
        let heartbeat = lastSentAt.advanced(by: Self.heartbeatInterval)
        if position < schedule.count {
            let arrival = schedule.arrival(at: position)
            if arrival <= heartbeat && arrival <= now {
                position += 1
                return .tweet(position - 1)
            }
        }
        guard heartbeat <= now else { return nil }
        lastSentAt = heartbeat
        return .heartbeat
    }

    /// Records that the tweet at `position` was sent: the heartbeat is due 20 s after it (a
    /// backfilled tweet, older than the connection, does not move it back).
    public mutating func markSent(_ position: Int) {
        lastSentAt = max(lastSentAt, schedule.arrival(at: position))
    }
}

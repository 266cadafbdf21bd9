import HummingbirdCore
import LocalCloud
import NIOCore

/// One connection to `GET /2/tweets/search/stream`: writes what its ``StreamCursor`` makes
/// due, as the service's clock reaches it.
///
/// Each time it wakes it sends, in one write, every event due by the clock's now: the tweets
/// that match at least one rule (the rules as they are at that moment) and the heartbeats.
/// Then it sleeps on the clock until the next event (or drop). Which bytes go out never depends
/// on when it wakes: the cursor orders events by the schedule alone. A drop (after `dropEvery`
/// live tweets on the connection, or at a `dropAt` instant) throws, so the connection is
/// closed abruptly with no chunked end, as a real network drop; a graceful shutdown of the
/// service ends the body cleanly. Live tweets are those arriving after the connection was
/// made: backfilled ones do not count towards `dropEvery`, so a client that resumes with a
/// backfill always gets further.
struct StreamSession: Sendable {
    let schedule: ReplaySchedule
    let clock: any CloudClock
    let rules: RulesEndpoint
    let counters: StreamCounters
    let dropEvery: Int?
    let dropAt: [Instant]

    /// The error that closes a connection abruptly.
    struct Dropped: Error {}

    /// The most bytes gathered before they are written (a long backfill goes out in parts).
    private static let writeSize = 1 << 16

    func stream(to writer: inout any ResponseBodyWriter, connectedAt: Instant, backfill: Duration) async throws {
        var cursor = StreamCursor(schedule: schedule, connectedAt: connectedAt, backfill: backfill)
        var tokens = ReplayTokens(schedule: schedule)
        let pendingDrop = dropAt.first { $0 > connectedAt }
        var liveSent = 0
        while true {
            let now = clock.now
            let horizon = pendingDrop.map { min($0, now) } ?? now
            let ruleSet = rules.current
            var out: [UInt8] = []
            var dropping = pendingDrop.map { $0 <= now } ?? false
            var tweets = 0
            var heartbeats = 0
            while let event = cursor.next(dueBy: horizon) {
                switch event {
                case .heartbeat:
                    out.append(contentsOf: StreamLine.heartbeat)
                    heartbeats += 1
                case .tweet(let position):
                    let tweet = schedule.tweet(at: position)
                    let matched = ruleSet.rules.isEmpty ? [] : ruleSet.matching(tokens: tokens.of(tweet), lang: tweet.lang)
                    guard !matched.isEmpty else { continue }
                    StreamLine.append(tweet, matching: matched, to: &out)
                    cursor.markSent(position)
                    tweets += 1
                    if tweet.arrival >= connectedAt { liveSent += 1 }
                }
                if let dropEvery, liveSent == dropEvery {
                    dropping = true
                    break
                }
                if out.count >= Self.writeSize {
                    try await write(&out, to: &writer, tweets: &tweets, heartbeats: &heartbeats)
                }
            }
            try await write(&out, to: &writer, tweets: &tweets, heartbeats: &heartbeats)
            if dropping {
                counters.dropped()
                throw Dropped()
            }
            let wake = pendingDrop.map { min($0, cursor.nextEventTime) } ?? cursor.nextEventTime
            if try await ShutdownAwareSleep.sleep(on: clock, until: wake) {
                try await writer.finish(nil)
                return
            }
        }
    }

    /// Writes and empties `out`, then counts what it held.
    private func write(_ out: inout [UInt8], to writer: inout any ResponseBodyWriter, tweets: inout Int, heartbeats: inout Int) async throws {
        guard !out.isEmpty else { return }
        try await writer.write(ByteBuffer(bytes: out))
        out.removeAll(keepingCapacity: true)
        counters.sentTweets(tweets)
        counters.sentHeartbeats(heartbeats)
        tweets = 0
        heartbeats = 0
    }
}

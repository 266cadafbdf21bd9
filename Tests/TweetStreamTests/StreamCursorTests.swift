import LocalCloud
import Testing
import TweetStream

@Suite("Stream timeline")
struct StreamCursorTests {
    /// Every event due by `now`, marking every tweet as sent when `sendTweets`.
    static func drain(_ cursor: inout StreamCursor, by now: Instant, sendTweets: Bool = true) -> [StreamCursor.Event] {
        var events: [StreamCursor.Event] = []
        while let event = cursor.next(dueBy: now) {
            if case .tweet(let position) = event, sendTweets { cursor.markSent(position) }
            events.append(event)
        }
        return events
    }

    @Test("a heartbeat falls due after every 20 s of stream time without data, whenever the caller looks")
    func heartbeats() throws {
        // 0.01 tweets a second: the first gap is long enough for several heartbeats.
        let schedule = try SampleTexts.schedule(count: 3, settings: ArrivalSettings(seed: 4, rate: 0.01))
        let first = schedule.arrival(at: 0)
        let expected = Int(SampleTexts.start.duration(to: first) / .seconds(20))
        var all = StreamCursor(schedule: schedule, connectedAt: SampleTexts.start)
        let once = Self.drain(&all, by: first)
        #expect(once == Array(repeating: .heartbeat, count: expected) + [.tweet(0)])
        // Looking every second gives the same events.
        var stepped = StreamCursor(schedule: schedule, connectedAt: SampleTexts.start)
        var events: [StreamCursor.Event] = []
        var now = SampleTexts.start
        while now < first {
            now = min(first, now.advanced(by: .seconds(1)))
            events += Self.drain(&stepped, by: now)
        }
        #expect(events == once)
        // Next comes the second tweet, or a heartbeat 20 s after the first.
        #expect(stepped.nextEventTime == min(schedule.arrival(at: 1), first.advanced(by: .seconds(20))))
    }

    @Test("tweets that are not sent do not reset the heartbeat")
    func unsentTweets() throws {
        let schedule = try SampleTexts.schedule(count: 200, settings: ArrivalSettings(seed: 4, rate: 1))
        var cursor = StreamCursor(schedule: schedule, connectedAt: SampleTexts.start)
        let events = Self.drain(&cursor, by: SampleTexts.start.advanced(by: .seconds(61)), sendTweets: false)
        #expect(events.filter { $0 == .heartbeat }.count == 3)
    }

    @Test("a connection starts with the tweets arriving from its start; a backfill reaches back")
    func backfill() throws {
        let schedule = try SampleTexts.schedule(count: 2_000, settings: ArrivalSettings(seed: 8, rate: 2))
        let connect = SampleTexts.start.advanced(by: .seconds(600))
        var plain = StreamCursor(schedule: schedule, connectedAt: connect)
        #expect(schedule.arrival(at: plain.position) >= connect && schedule.arrival(at: plain.position - 1) < connect)
        var backfilled = StreamCursor(schedule: schedule, connectedAt: connect, backfill: .seconds(120))
        let from = connect.advanced(by: .seconds(-120))
        #expect(schedule.arrival(at: backfilled.position) >= from && schedule.arrival(at: backfilled.position - 1) < from)
        // The backfilled tweets are all due at once, with no heartbeat among them.
        let due = Self.drain(&backfilled, by: connect)
        #expect(!due.contains(.heartbeat))
        #expect(due.count == schedule.firstPosition(arrivingAtOrAfter: connect.advanced(by: .nanoseconds(1))) - schedule.firstPosition(arrivingAtOrAfter: from))
        #expect(Self.drain(&plain, by: connect).count == schedule.firstPosition(arrivingAtOrAfter: connect.advanced(by: .nanoseconds(1))) - plain.position)
    }
}

import Foundation
import LocalCloud
import Modes
import Synchronization
import Testing

/// A stream that plays scripted connections: each a list of events and how it ends.
private final class ScriptedSource: TweetStreamSource, @unchecked Sendable {
    struct Connection {
        var events: [StreamEvent]
        var end: StreamSessionEnd
    }

    private let lock = NSLock()
    private var script: [Connection]
    private(set) var backfills: [Int?] = []

    init(_ script: [Connection]) { self.script = script }

    func connect(backfillMinutes: Int?, onEvent: (StreamEvent) -> Bool) -> StreamSessionEnd {
        let connection: Connection? = lock.withLock {
            backfills.append(backfillMinutes)
            return script.isEmpty ? nil : script.removeFirst()
        }
        guard let connection else { return .stopped }
        for event in connection.events where !onEvent(event) { return .stopped }
        return connection.end
    }
}

@Suite("Ingest connector")
struct IngestConnectorTests {
    private func tweets(_ range: ClosedRange<Int>) -> [StreamEvent] {
        range.map { .line(StreamingFixture.line(id: "\($0)", text: "tweet \($0)")) }
    }

    @Test("after a drop it waits on the clock, reconnects with backfill, and the repeats are stored once")
    func reconnectsWithoutLossOrRepeats() async throws {
        let fixture = try StreamingFixture()
        let source = ScriptedSource([
            .init(events: tweets(1...5) + [.caughtUp, .heartbeat] + tweets(6...7), end: .dropped("connection reset")),
            .init(events: [], end: .networkError("refused")),
            .init(events: tweets(5...9) + [.caughtUp], end: .httpError(status: 429, body: #"{"title":"TooManyConnections"}"#)),
            .init(events: tweets(9...12) + [.caughtUp, .heartbeat], end: .stopped),
        ])
        let connector = IngestConnector(queue: fixture.queue, topic: "tweets", batchSize: 4, backfillMinutes: 2)
        let clock = fixture.clock
        let run = Task { try await connector.run(source: source, clock: clock, backoff: ReconnectBackoff(seed: 3)) }
        // Three waits, each let pass by moving the virtual clock once the connector sleeps.
        for _ in 0..<3 {
            await clock.waitForWaiters(count: 1)
            clock.advance(by: .seconds(600))
        }
        try await run.value
        let counts = connector.counts
        #expect(counts.connections == 4 && counts.drops == 2 && counts.heartbeats == 2)
        #expect(counts.httpErrors == [#"429 {"title":"TooManyConnections"}"#])
        #expect(counts.reconnectWaits.count == 3)
        #expect(counts.reconnectWaits[2] >= .seconds(30))   // 429: a minute, jittered down to half at most
        #expect(source.backfills == [nil, 2, 2, 2])
        let messages = try fixture.queue.pull("workers", maxMessages: 100)
        #expect(try messages.map { try StreamedTweet(line: $0.data).id } == (1...12).map(String.init))
        #expect(messages.map(\.orderingKey) == (1...12).map(String.init))
    }

    @Test("a pipeline stopped while its connector waits to reconnect ends without waiting the wait out", .timeLimit(.minutes(1)))
    func stopEndsAReconnectWait() async throws {
        let fixture = try StreamingFixture()
        let source = ScriptedSource([.init(events: [], end: .httpError(status: 429, body: "{}"))])
        var settings = StreamingSettings()
        settings.workers = .fixed(1)
        settings.idlePoll = .seconds(1)
        let pipeline = try StreamingPipeline(
            queue: fixture.queue, sink: fixture.sink, clock: fixture.clock,
            model: try StreamModel(registry: fixture.registry, name: "sentiment", aliasOrVersion: "production"), settings: settings)
        let run = Task { try await pipeline.run(source: source, backoffSeed: 1) }
        // The worker and the window stage idle, and the connector waits after its 429 (half a
        // minute at least): all three sleep on the clock, which stands still.
        await fixture.clock.waitForWaiters(count: 3)
        #expect(pipeline.status.ingest.reconnectWaits.first.map { $0 >= .seconds(30) } == true)
        pipeline.stop()
        fixture.clock.advance(by: .seconds(1))  // the idle ones wake and see the stop; the wait is not over
        let final = try await run.value
        #expect(final.ingest.connections == 1 && final.ingest.httpErrors.count == 1)
    }

    @Test("an HTTP source asks for the tweet fields the pipeline needs unless its URL names them, then for the backfill")
    func connectionURL() {
        let plain = HTTPTweetStreamSource(url: "http://127.0.0.1:9/2/tweets/search/stream", token: "t")
        #expect(plain.target(backfillMinutes: nil) == "http://127.0.0.1:9/2/tweets/search/stream?tweet.fields=author_id,created_at,lang")
        #expect(plain.target(backfillMinutes: 5)
            == "http://127.0.0.1:9/2/tweets/search/stream?tweet.fields=author_id,created_at,lang&backfill_minutes=5")
        let own = HTTPTweetStreamSource(url: "http://127.0.0.1:9/s?tweet.fields=created_at&expansions=author_id", token: "t")
        #expect(own.target(backfillMinutes: 2) == "http://127.0.0.1:9/s?tweet.fields=created_at&expansions=author_id&backfill_minutes=2")
    }

    @Test("a line without a tweet id is still published, unkeyed, for the workers to dead-letter")
    func unkeyedLines() async throws {
        let fixture = try StreamingFixture()
        let source = ScriptedSource([.init(events: [.line(Data("{oops".utf8)), .line(Data("{oops".utf8)), .caughtUp], end: .stopped)])
        let connector = IngestConnector(queue: fixture.queue, topic: "tweets")
        try await connector.run(source: source, clock: fixture.clock, backoff: ReconnectBackoff(seed: 1))
        let messages = try fixture.queue.pull("workers", maxMessages: 10)
        #expect(messages.count == 2 && messages.allSatisfy { $0.orderingKey == nil })
    }
}

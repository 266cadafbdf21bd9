import LocalCloud
import Logging
import TweetStream

/// A ``TweetStreamService`` running on 127.0.0.1 port 0 with a virtual clock.
final class RunningStream: Sendable {
    let service: TweetStreamService
    let clock: VirtualClock
    let schedule: ReplaySchedule
    let port: Int
    private let task: Task<Void, any Error>

    static let token = "test-token"

    private init(service: TweetStreamService, clock: VirtualClock, schedule: ReplaySchedule, port: Int, task: Task<Void, any Error>) {
        self.service = service
        self.clock = clock
        self.schedule = schedule
        self.port = port
        self.task = task
    }

    /// Starts a stream of `count` sample tweets at `rate` per second with `rules`, and waits
    /// until it listens.
    static func start(count: Int = 500, rate: Double = 1, rules: [(value: String, tag: String?)] = [],
                      dropEvery: Int? = nil, dropAt: [Instant] = []) async throws -> RunningStream {
        let clock = VirtualClock(start: SampleTexts.start)
        let schedule = try SampleTexts.schedule(count: count, settings: ArrivalSettings(seed: 21, rate: rate))
        let service = try TweetStreamService(
            configuration: TweetStreamConfiguration(token: token, initialRules: rules, dropEvery: dropEvery, dropAt: dropAt),
            schedule: schedule, clock: clock, logger: Logger(label: "tweet-stream-tests") { _ in SwiftLogNoOpLogHandler() })
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task { try await service.run { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return RunningStream(service: service, clock: clock, schedule: schedule, port: port, task: task)
    }

    /// A new client connection.
    func client() throws -> StreamClient { try StreamClient(port: port) }

    /// Stops the service and waits for it.
    func stop() async throws {
        await service.stop()
        try await task.value
    }

    /// The lines the stream owes for the tweets at `positions` with the rules in force.
    func expectedLines(_ positions: some Sequence<Int>) -> [String] {
        positions.compactMap { position in
            let tweet = schedule.tweet(at: position)
            let matched = matching(tweet)
            return matched.isEmpty ? nil : String(decoding: StreamLine.encode(tweet, matching: matched).dropLast(2), as: UTF8.self)
        }
    }

    /// The rules in force that `tweet` matches.
    func matching(_ tweet: ScheduledTweet) -> [FilterRule] {
        service.rulesInForce.filter { $0.expression.matches(tokens: TextTokens.of(tweet.text), lang: tweet.lang) }
    }

    /// The positions of the tweets arriving in `from ..< to` (`to` included when `through`).
    func positions(from: Instant, through: Instant) -> Range<Int> {
        schedule.firstPosition(arrivingAtOrAfter: from)..<schedule.firstPosition(arrivingAtOrAfter: through.advanced(by: .nanoseconds(1)))
    }
}

import LocalCloud
import Logging
import Synchronization
import TweetStream

/// The emulated tweet stream that `rehearse stream` serves itself when it is given no
/// `--source`: the corpus replayed by a ``TweetStreamService`` on 127.0.0.1 and a free port,
/// for as long as the pipeline reads it.
final class BuiltInTweetStream: Sendable {
    private let options: EmulatedStreamOptions
    private let texts: [String]
    private let seed: UInt64
    private let token: String
    private let clock: any CloudClock
    private let running = Mutex<(service: TweetStreamService, serving: Task<Void, any Error>)?>(nil)

    /// The stream `options` describe, seeded with `seed` and guarded by `token`, on `clock`.
    /// Reads the corpus now, so that a missing or unreadable one fails before anything starts.
    init(options: EmulatedStreamOptions, seed: UInt64, token: String, clock: any CloudClock) throws {
        self.options = options
        texts = try options.texts()
        self.seed = seed
        self.token = token
        self.clock = clock
    }

    /// Starts serving, and returns the stream endpoint's URL once the server listens. The first
    /// tweet arrives a second after this call: the stream sends live only what arrives after
    /// the connector has connected. Warnings and errors of the server go to standard error.
    /// - Throws: when an option is out of range, or the server's error when it cannot start.
    func start() async throws -> String {
        let schedule = try options.schedule(of: texts, seed: seed, start: clock.now.advanced(by: .seconds(1)))
        let service = try TweetStreamService(
            configuration: options.configuration(host: "127.0.0.1", port: 0, token: token), schedule: schedule, clock: clock,
            logger: Logger(label: "rehearse.stream.built-in-source") { ServerLogHandler(label: $0, logLevel: .warning) })
        let (ports, listening) = AsyncStream<Int>.makeStream()
        let serving = Task {
            defer { listening.finish() }
            // `rehearse stream` handles SIGTERM and SIGINT: it stops the pipeline, then this.
            try await service.run(stopsOnSignals: false) { port in
                listening.yield(port)
                listening.finish()
            }
        }
        running.withLock { $0 = (service, serving) }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await serving.value
            throw CommandFailure("the built-in tweet stream stopped before it listened")
        }
        return "http://127.0.0.1:\(port)/2/tweets/search/stream"
    }

    /// Stops the server and waits until it has.
    func stop() async {
        guard let (service, serving) = running.withLock({ $0 }) else { return }
        await service.stop()
        _ = await serving.result
    }
}

import LocalCloud
import Logging
import Synchronization
import TweetStream

/// The emulated tweet stream that `rehearse stream` serves itself when it is given no
/// `--source`: the corpus replayed by a ``TweetStreamService`` on 127.0.0.1 and a free port,
/// for as long as the pipeline reads it.
final class BuiltInTweetStream: Sendable {
    private let service: TweetStreamService
    private let serving = Mutex<Task<Void, any Error>?>(nil)

    /// The stream `options` describe, arriving on `clock` from a second from now (the stream
    /// sends live only what arrives after the connector has connected), seeded with `seed` and
    /// guarded by `token`. Its warnings and errors go to standard error.
    /// - Throws: when the corpus cannot be read or an option is out of range.
    init(options: EmulatedStreamOptions, seed: UInt64, token: String, clock: any CloudClock) throws {
        let schedule = try options.schedule(seed: seed, start: clock.now.advanced(by: .seconds(1)))
        service = try TweetStreamService(
            configuration: options.configuration(host: "127.0.0.1", port: 0, token: token), schedule: schedule, clock: clock,
            logger: Logger(label: "rehearse.stream.built-in-source") { ServerLogHandler(label: $0, logLevel: .warning) })
    }

    /// Starts serving, and returns the stream endpoint's URL once the server listens.
    /// - Throws: the server's error when it cannot start.
    func start() async throws -> String {
        let (ports, listening) = AsyncStream<Int>.makeStream()
        let task = Task { [service] in
            defer { listening.finish() }
            // `rehearse stream` handles SIGTERM and SIGINT: it stops the pipeline, then this.
            try await service.run(stopsOnSignals: false) { port in
                listening.yield(port)
                listening.finish()
            }
        }
        serving.withLock { $0 = task }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw CommandFailure("the built-in tweet stream stopped before it listened")
        }
        return "http://127.0.0.1:\(port)/2/tweets/search/stream"
    }

    /// Stops the server and waits until it has.
    func stop() async {
        guard let task = serving.withLock({ $0 }) else { return }
        await service.stop()
        _ = await task.result
    }
}

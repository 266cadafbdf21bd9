import Corpus
import Foundation
import LocalCloud
import Logging
import Modes
import ModelCore
import Synchronization
import TweetStream

/// `rehearse-bench stream`: the streaming pipeline end to end, in real time: the emulated tweet
/// stream → loopback HTTP → the libcurl ingest connector → the durable queue (SQLite, WAL) →
/// workers → the sink (SQLite), with the windowing stage running beside them.
///
/// Two runs, each in a fresh local cloud: as fast as it goes (every tweet due at once), for
/// throughput; and at a fixed offered rate on the real clock, for the latency from publish to
/// sink commit (p50, p99).
enum StreamBenchmark {
    static func run(corpusPath: String?, tweets: Int, latencyTweets: Int, offeredRate: Double, workers: Int) async throws {
        let url = try corpusPath.map { URL(fileURLWithPath: $0) } ?? CorpusFetcher().fetch { print($0) }
        let corpus = try TweetCorpus(contentsOf: url)
        let train = corpus.examples(in: .train)
        let parameters = TrainingParameters(algorithm: .logisticRegression)
        let model = TrainedModel(metadata: ModelMetadata(parameters: parameters, trainingData: TrainingDataSummary(examples: train, source: "bench")),
                                 classifier: try Trainer.train(train, parameters: parameters))
        let texts = corpus.examples(in: .test).map(\.text) + train.map(\.text)
        print("model trained on \(train.count) tweets; streaming \(tweets) tweets through \(workers) workers")

        let fast = try await measure(model: model, texts: texts, tweets: tweets, rate: 1e9, workers: workers)
        let throughput = Double(fast.stored) / fast.seconds
        print("throughput: \(fast.stored) tweets stored in \(String(format: "%.2f", fast.seconds)) s: \(Int(throughput)) tweets/s")

        let paced = try await measure(model: model, texts: texts, tweets: latencyTweets, rate: offeredRate, workers: workers)
        let sorted = paced.latencies.sorted()
        let p50 = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        let p99 = sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
        print("latency at \(Int(offeredRate)) tweets/s offered: \(paced.stored) tweets, publish → sink commit p50 \(String(format: "%.2f", p50)) ms, p99 \(String(format: "%.2f", p99)) ms")
        print("{\"tweets_per_s\": \(Int(throughput)), \"p99_latency_ms\": \(String(format: "%.2f", p99)), \"p50_latency_ms\": \(String(format: "%.2f", p50)), \"offered_rate\": \(Int(offeredRate)), \"tweets\": \(fast.stored), \"workers\": \(workers)}")
    }

    /// The pipeline stopped making progress.
    private struct Stalled: Error, CustomStringConvertible {
        let description: String
    }

    private struct Measurement {
        var stored: Int
        var seconds: Double
        var latencies: [Double]
    }

    /// Streams `tweets` tweets at `rate` per second through a fresh pipeline until every one is stored.
    private static func measure(model: TrainedModel, texts: [String], tweets: Int, rate: Double, workers: Int) async throws -> Measurement {
        let root = URL(fileURLWithPath: NSTemporaryDirectory() + "rehearse-bench-stream-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: root) }
        let clock = SystemClock()
        let cloud = try CloudSandbox(root: root, clock: clock)
        try cloud.objects.createBucket("lake")
        let registry = ModelRegistry(store: cloud.objects, bucket: "lake")
        try registry.setAlias("production", name: "sentiment", version: try registry.register(model, name: "sentiment"))
        let sink = try SQLiteTableSink(path: CloudSandbox.sinkPath(root))

        // One rule of common words; the schedule is made long enough for `tweets` of its tweets to match.
        let rule = "the OR a OR i OR to OR and OR you OR is OR it OR my OR of OR in OR for OR on OR me OR that OR so OR at OR be"
        var rules = RuleSet(seed: 1)
        try rules.add(value: rule, tag: "common")
        let matching = texts.filter { !rules.matching(text: $0, lang: "en").isEmpty }
        // The first tweet arrives a second from now: the stream sends live only what arrives
        // after the connector connects (earlier tweets would need a backfill).
        let firstArrival = clock.now.advanced(by: .seconds(1))
        let schedule = try ReplaySchedule(texts: matching, count: tweets, settings: ArrivalSettings(seed: 7, rate: rate), start: firstArrival)
        let server = try TweetStreamService(configuration: TweetStreamConfiguration(initialRules: [(rule, "common")]), schedule: schedule,
                                            clock: clock, logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        let port = AsyncStream<Int>.makeStream()
        let serving = Task { try await server.application(onListening: { port.continuation.yield($0) }).runService(gracefulShutdownSignals: []) }
        defer { serving.cancel() }
        var ports = port.stream.makeAsyncIterator()
        guard let bound = await ports.next() else { throw BenchUsageError("the stream server did not start") }

        var settings = StreamingSettings()
        settings.workers = .fixed(workers)
        settings.idlePoll = .milliseconds(1)
        let latencies = Mutex<[Double]>([])
        let pipeline = try StreamingPipeline(
            queue: cloud.queue, sink: sink, clock: clock,
            model: try StreamModel(registry: registry, name: "sentiment", aliasOrVersion: "production"), settings: settings,
            onStored: { published in
                let now = clock.now
                let batch = published.map { Double($0.duration(to: now).components.attoseconds) / 1e15 + Double($0.duration(to: now).components.seconds) * 1000 }
                latencies.withLock { $0 += batch }
            })
        let source = HTTPTweetStreamSource(url: "http://127.0.0.1:\(bound)/2/tweets/search/stream", token: TweetStreamConfiguration.defaultToken)
        let start = firstArrival
        let ended = Mutex<(any Error)?>(nil)
        let running = Task {
            do { _ = try await pipeline.run(source: source, backoffSeed: 1) } catch { ended.withLock { $0 = error } }
        }
        var progress = (stored: -1, at: clock.now)
        while pipeline.status.workers.stored < tweets {
            if let error = ended.withLock({ $0 }) { throw error }
            let stored = pipeline.status.workers.stored
            if stored != progress.stored {
                progress = (stored, clock.now)
            } else if progress.at.duration(to: clock.now) > .seconds(30) {
                throw Stalled(description: "the pipeline stored no tweet for 30 s (\(stored) of \(tweets) stored)")
            }
            try await clock.sleep(until: clock.now.advanced(by: .milliseconds(5)))
        }
        let seconds = Double(start.duration(to: clock.now).components.attoseconds) / 1e18 + Double(start.duration(to: clock.now).components.seconds)
        pipeline.stop()
        source.cancellation.cancel()
        await running.value
        if let error = ended.withLock({ $0 }) { throw error }
        return Measurement(stored: pipeline.status.workers.stored, seconds: seconds, latencies: latencies.withLock { $0 })
    }
}

import ArgumentParser
import Foundation
import HTTPClient
import LocalCloud
import Modes
import TweetStream

/// `rehearse stream`: the streaming inference pipeline, in real time, against a local cloud.
struct StreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "Run the streaming pipeline: a tweet stream in, predictions and sentiment windows out, in real time.",
        discussion: """
            Reads a tweet stream into the `tweets` topic of the local cloud at --root, predicts \
            every tweet with name@alias from the registry in --bucket (swapped when the alias \
            moves), and counts each rule tag's sentiment in event-time windows \
            (docs/streaming.md).

            The stream: with --source, a Twitter API v2 filtered stream endpoint (another \
            process's `rehearse stream-source`, say). Without it, the emulated stream of the \
            corpus, served on 127.0.0.1 by this command and set up with the same options as \
            `rehearse stream-source` (at least one --rule; the stream seed is --seed); its first \
            tweet arrives a second after the start, and once its --tweets are all sent it only \
            sends heartbeats, as a quiet real stream does.

            Where things go (all under --root):
              queue.sqlite  topics tweets, sentiment-windows (one message per pane) and
                            tweets-dead-letters (unreadable tweets, with a `reason` attribute)
              sink.sqlite   table predictions (one row per tweet id) and table panes
              (look with: rehearse cloud topics|peek --root DIR)

            Delivery is at least once, the effect exactly once: a worker writes its batch's \
            predictions (keyed by tweet id) before acking it, so a batch delivered again (after a \
            crash, say) changes nothing. After a drop the connector reconnects with Twitter's \
            backoff (with jitter) and asks for --backfill minutes of what it missed; repeats are \
            dropped by tweet id.

            Workers: --workers N, or with --max-workers, as many as the backlog needs (--target-backlog \
            per worker), evaluated every --scale-interval, changed at most once per --cool-down.

            On a terminal a status line shows the rate, backlog, watermark lag and workers. \
            SIGTERM or SIGINT stops cleanly: the connector stops reading, every worker finishes \
            (writes, then acks) the batch it holds; the rest stays in the queue for the next run. \
            A second signal stops at once, as a crash would: batches not acked are delivered again \
            to the next run, whose sink and panes come out as after an uninterrupted one. \
            The run's totals are printed as one JSON line at the end. A next run on the same root \
            goes on with the window stage's state, so it takes the same window, trigger and \
            watermark settings (others are refused, naming each change).

            Examples:
              rehearse stream --root /tmp/cloud --bucket lake --model sentiment@production \\
                  --model-file model.rmodel --rule 'love OR hate#feelings' --rate 50
              rehearse stream-source --port 0 --rule 'love OR hate#feelings' &
              rehearse stream --root /tmp/cloud --bucket lake --model sentiment@production \\
                  --source http://127.0.0.1:PORT/2/tweets/search/stream
            """)

    @Option(help: ArgumentHelp("The local cloud's root folder (created if missing).", valueName: "DIR"))
    var root: String

    @Option(help: ArgumentHelp("The bucket holding the model registry.", valueName: "BUCKET"))
    var bucket: String

    @Option(help: ArgumentHelp("The registry model: name@alias (followed when it moves) or name@version.", valueName: "NAME@ALIAS"))
    var model: String

    @Option(help: ArgumentHelp(
        "Register this artifact as the next version of the model (unless that exact model is registered already), and point the alias at it.", valueName: "FILE"))
    var modelFile: String?

    @Option(help: ArgumentHelp("The stream's URL: a Twitter API v2 filtered stream endpoint (default: the built-in emulated stream).", valueName: "URL"))
    var source: String?

    @Option(help: ArgumentHelp("The environment variable holding the stream's bearer token (unset: rehearse stream-source's default token).", valueName: "NAME"))
    var tokenEnv = "REHEARSE_STREAM_TOKEN"

    @Option(parsing: .unconditional, help: ArgumentHelp("Minutes of backfill asked for on a reconnect (1…5).", valueName: "MINUTES"))
    var backfill = 5

    @Option(parsing: .unconditional, help: ArgumentHelp("Workers (with --max-workers: the fewest).", valueName: "N"))
    var workers = 2

    @Option(parsing: .unconditional, help: ArgumentHelp("Autoscale up to this many workers.", valueName: "N"))
    var maxWorkers: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Autoscaling: the backlog one worker should carry.", valueName: "N"))
    var targetBacklog = 1000

    @Option(help: ArgumentHelp("Autoscaling: one more worker when the oldest unacked tweet is older than this.", valueName: "DURATION"))
    var maxOldestAge: DurationArgument?

    @Option(help: ArgumentHelp("Autoscaling: the least time between two changes.", valueName: "DURATION"))
    var coolDown = DurationArgument("30s")

    @Option(help: ArgumentHelp("Autoscaling: how often the backlog is looked at.", valueName: "DURATION"))
    var scaleInterval = DurationArgument("1s")

    @Option(parsing: .unconditional, help: ArgumentHelp("Messages per pull and per publish.", valueName: "N"))
    var batchSize = 500

    @Option(parsing: .unconditional, help: ArgumentHelp("Deliveries of an unreadable tweet before it is dead-lettered.", valueName: "N"))
    var maxDeliveryAttempts = 5

    @Option(help: ArgumentHelp("How long a pulled batch stays leased; a dead worker's batch comes back after it.", valueName: "DURATION"))
    var ackDeadline = DurationArgument("30s")

    @Option(help: ArgumentHelp("Tumbling windows of this size.", valueName: "DURATION"))
    var window = DurationArgument("1m")

    @Option(help: ArgumentHelp("Sliding windows of this size (0s: none).", valueName: "DURATION"))
    var slidingWindow = DurationArgument("5m")

    @Option(help: ArgumentHelp("How often a sliding window starts.", valueName: "DURATION"))
    var slidingEvery = DurationArgument("1m")

    @Option(help: ArgumentHelp("The watermark trails the latest event time by this much.", valueName: "DURATION"))
    var watermarkDelay = DurationArgument("10s")

    @Option(help: ArgumentHelp("How late a tweet may be and still give a LATE pane; later ones are counted as dropped.", valueName: "DURATION"))
    var allowedLateness = DurationArgument("0s")

    @Option(parsing: .unconditional, help: ArgumentHelp("Fire an EARLY pane every N tweets of a window.", valueName: "N"))
    var earlyEvery: Int?

    @Flag(help: "Panes accumulate (each holds the whole window so far) instead of discarding what earlier panes held.")
    var accumulating = false

    @Option(parsing: .unconditional, help: ArgumentHelp("The seed of the reconnect jitter, and of the built-in stream (as rehearse stream-source --seed: the same rules and seed give the same stream).", valueName: "N"))
    var seed: UInt64 = 1

    @OptionGroup(title: "The built-in emulated stream (without --source)")
    var emulated: EmulatedStreamOptions

    /// The most workers a pipeline of this process runs.
    static let mostWorkers = 64

    func validate() throws {
        guard let reference = ModelReference(model) else { throw ValidationError("--model is name@alias or name@version, e.g. sentiment@production") }
        if modelFile != nil { try ModelFileRegistration.validate(reference) }
        if let source {
            guard source.hasPrefix("http://") || source.hasPrefix("https://") else { throw ValidationError("--source is an http:// or https:// URL") }
            guard !emulated.isGiven else {
                throw ValidationError("\(EmulatedStreamOptions.flags) set up the built-in emulated stream; they cannot be used with --source")
            }
        } else if emulated.rule.isEmpty {
            throw ValidationError("give --source URL, or at least one --rule for the built-in emulated stream (e.g. --rule 'love OR hate#feelings'): it sends only tweets that match a rule")
        }
        guard (1...5).contains(backfill) else { throw ValidationError("--backfill is 1 to 5 minutes (as Twitter's API v2 allows)") }
        for (flag, value) in [("--workers", workers), ("--batch-size", batchSize), ("--max-delivery-attempts", maxDeliveryAttempts),
                              ("--target-backlog", targetBacklog)] where value < 1 {
            throw ValidationError("\(flag) must be at least 1, got \(value)")
        }
        guard scaleInterval.duration > .zero else { throw ValidationError("--scale-interval must be positive, got \(scaleInterval)") }
        if let maxWorkers, maxWorkers < workers { throw ValidationError("--max-workers (\(maxWorkers)) cannot be below --workers (\(workers))") }
        guard max(workers, maxWorkers ?? 0) <= Self.mostWorkers else {
            throw ValidationError("--workers and --max-workers are at most \(Self.mostWorkers) (each is a thread of this process)")
        }
        guard !root.isEmpty else { throw ValidationError("--root must name a folder") }
        do { try ObjectNaming.validate(bucket: bucket) } catch { throw ValidationError("--bucket: \(error)") }
        if let earlyEvery, earlyEvery < 1 { throw ValidationError("--early-every must be at least 1") }
        guard SubscriptionOptions.ackDeadlines.contains(ackDeadline.duration) else {
            throw ValidationError("--ack-deadline is from 1s to 10m (a lease, as in Pub/Sub), got \(ackDeadline)")
        }
        do {
            try WindowSpec.tumbling(size: window.duration).validate()
        } catch {
            throw ValidationError("--window \(window): \(error.reason)")
        }
        if slidingWindow.duration > .zero {
            do {
                try WindowSpec.sliding(size: slidingWindow.duration, period: slidingEvery.duration).validate()
            } catch {
                let flag = error.field.hasSuffix("period") ? "--sliding-every \(slidingEvery)" : "--sliding-window \(slidingWindow)"
                throw ValidationError("\(flag): \(error.reason)")
            }
        }
        do {
            _ = try settings()
        } catch .outOfRange(let field, let expected, let found) {
            let flags = ["min_workers": "--workers", "max_workers": "--max-workers", "target_backlog_per_worker": "--target-backlog",
                         "cool_down": "--cool-down", "max_oldest_unacked_age": "--max-oldest-age"]
            throw ValidationError("\(flags[field] ?? field) should be \(expected), got \(found)")
        }
    }

    func run() async throws {
        do {
            let settings = try settings()
            let clock = SystemClock()
            let givenToken = ProcessInfo.processInfo.environment[tokenEnv].flatMap { $0.isEmpty ? nil : $0 }
            let tokenIsSet = givenToken != nil
            let token = givenToken ?? TweetStreamConfiguration.defaultToken
            // An unreadable model file or corpus fails before the cloud root is created or touched.
            let artifact = try modelFile.map(ModelFile.load)
            let builtIn = try source == nil ? BuiltInTweetStream(options: emulated, seed: seed, token: token, clock: clock) : nil
            let rootURL = URL(fileURLWithPath: root)
            // Watched from before the root is touched: a signal while it is set up stops the
            // pipeline as soon as it exists, so the root is never left half made.
            // A second signal ends the process at once: what was written stays, and whatever
            // was not acked is delivered again to the next run, as after a crash.
            let stopRequest = StreamStopRequest()
            let signals = SignalWatch(repeated: { number in
                Console.note("stream: stopped at once (a second signal); batches not acked are delivered again on the next run")
                _exit(128 + number)
            }) { _ in
                Console.note("stream: stopping after the batches in flight (send the signal again to stop at once)")
                stopRequest.request()
            }
            defer { signals.cancel() }
            try RootLock.claim(rootURL, for: "stream")
            let sandbox = try CloudSandbox(root: rootURL, clock: clock)
            let sink = try SQLiteTableSink(path: CloudSandbox.sinkPath(rootURL))
            // Before the model file is registered: a run refused for other window settings changes nothing.
            try WindowStage.checkResumable(sink: sink, engine: try settings.windowingEngine())
            let reference = ModelReference(model)!
            if let modelFile, let artifact {
                try sandbox.objects.createBucket(bucket)
                _ = try ModelFileRegistration.register(artifact, from: modelFile, as: reference, in: sandbox.objects, bucket: bucket)
            }
            let streamModel = try StreamModel(registry: ModelRegistry(store: sandbox.objects, bucket: bucket), name: reference.name,
                                              aliasOrVersion: reference.aliasOrVersion)
            let pipeline = try StreamingPipeline(queue: sandbox.queue, sink: sink, clock: clock, model: streamModel, settings: settings)
            let url = try await builtIn?.start() ?? source!
            let stream = HTTPTweetStreamSource(url: url, token: token)
            stopRequest.attach(pipeline, stream)
            let statusLine = StreamStatusLine(pipeline: pipeline, queue: sandbox.queue, subscription: settings.workersSubscription)
            let final: StreamingStatus
            do {
                // Every failed or ended connection is said, with the wait before the next.
                let tokenHint = tokenIsSet ? " (the token in $\(tokenEnv) was refused)"
                    : " ($\(tokenEnv) is not set, so the emulator's default token was sent; set it to the stream's bearer token)"
                let said: @Sendable (StreamSessionEnd, Duration) -> Void = { end, wait in
                    let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) * 1e-18
                    var hint = ""
                    if case .httpError(401, _) = end { hint = tokenHint }
                    Console.note("stream: \(end)\(hint); reconnecting in \((seconds * 10).rounded() / 10) s")
                }
                final = try await statusLine.showing { try await pipeline.run(source: stream, backoffSeed: seed, onReconnect: said) }
            } catch {
                await builtIn?.stop()
                throw error
            }
            await builtIn?.stop()
            print(StreamSummary(final).json.canonicalText)
        } catch let error as ValidationError {
            throw error
        } catch {
            Console.note("error: \(error)")
            throw ExitCode.failure
        }
    }

    /// The pipeline's settings from the flags.
    private func settings() throws(AutoscalingPolicyError) -> StreamingSettings {
        var settings = StreamingSettings()
        settings.batchSize = batchSize
        settings.maxDeliveryAttempts = maxDeliveryAttempts
        settings.ackDeadline = ackDeadline.duration
        if let maxWorkers, maxWorkers > workers {
            let policy = try AutoscalingPolicy(minWorkers: workers, maxWorkers: maxWorkers, targetBacklogPerWorker: targetBacklog,
                                               maxOldestUnackedAge: maxOldestAge?.duration, coolDown: coolDown.duration)
            settings.workers = .autoscaled(policy, every: scaleInterval.duration)
        } else {
            settings.workers = .fixed(workers)
        }
        settings.windows = [.tumbling(size: window.duration)]
        if slidingWindow.duration > .zero { settings.windows.append(.sliding(size: slidingWindow.duration, period: slidingEvery.duration)) }
        settings.watermarkDelay = watermarkDelay.duration
        settings.trigger = TriggerSpec(allowedLateness: allowedLateness.duration, early: earlyEvery.map(EarlyFiring.everyCount),
                                       accumulation: accumulating ? .accumulating : .discarding)
        return settings
    }
}

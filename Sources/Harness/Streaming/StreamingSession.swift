import Foundation
import HTTPClient
import JSON
import LocalCloud
import Logging
import Modes
import Synchronization
import TweetStream

/// A scenario's streaming pipeline, stepped on the sandbox's virtual clock: the emulated tweet
/// stream served in this process on 127.0.0.1, the ingest connector reading it over HTTP into
/// the `tweets` topic, and the workers, windowing stage and autoscaler run in rounds, one per
/// tick of the clock.
///
/// Each round moves the clock one tick, lets the autoscaler look at the backlog, lets each
/// worker take its share (all that waits, or `worker_rate` × tick), then lets the windowing
/// stage catch up. Within a tick the clock stops at every instant the stream (or the connector,
/// backing off) sleeps until, and waits there until the stream is asleep again and the
/// connector has published every line it sent: so each tweet is published at its own arrival
/// instant, and what lands in the queue, the sink and every pane depends only on the scenario,
/// never on timing or on how threads are scheduled.
final class StreamingSession {
    let spec: PipelineSpec
    private let sandbox: ScenarioSandbox
    private let executable: URL?
    private let queue: any MessageQueue
    let sink: SQLiteTableSink
    private let model: StreamModel
    private let server: TweetStreamService
    private let schedule: ReplaySchedule
    /// The stream's rules, to tell which tweets it should have sent.
    private let rules: RuleSet
    private let connector: IngestConnector
    private let source: HTTPTweetStreamSource
    private let stage: WindowStage
    private var workers: [PredictionWorker]
    /// The in-process workers' predictions for the window stage (child-process workers store
    /// theirs in the sink only).
    private let handoff = PredictionHandoff()
    private var autoscaler: Autoscaler?
    private var nextScaling: Instant?
    private var credit: Double = 0
    private let tasks: [Task<Void, any Error>]
    /// Where the server and the connector run (see `ThreadExecutor`).
    private let executor = ThreadExecutor(name: "rehearse.streaming")
    /// Left by each task when it ends.
    private let running = DispatchGroup()
    /// Why the stream server or the connector stopped, if one did.
    private let failure = LockedValue<String?>(nil)
    /// The autoscaler's decisions, in order.
    private(set) var decisions: [ScalingDecision] = []
    /// What the workers did, summed.
    private var processed = PredictionWorker.BatchOutcome()
    /// Where the workers' vCPUs are held, one each, for cost estimates.
    private let provisioned: ProvisionedCapacity?

    /// How long the connector may take to publish what the stream sent, with nothing moving.
    static let ingestPatience: Duration = .seconds(30)
    /// The real clock that patience is measured on (the rehearsal's own time is virtual).
    private let patienceClock = SystemClock()

    /// Starts the stream and the connector, and waits until the connector is connected. The
    /// workers hold their vCPUs in `provisioned`.
    init(spec: PipelineSpec, texts: [String], sandbox: ScenarioSandbox, executable: URL?, provisioned: ProvisionedCapacity?) throws {
        self.spec = spec
        self.provisioned = provisioned
        self.sandbox = sandbox
        self.executable = executable
        queue = sandbox.cloud.queue
        sink = try SQLiteTableSink(path: CloudSandbox.sinkPath(sandbox.root))
        try spec.settings.prepare(queue)
        model = try StreamModel(registry: ModelRegistry(store: sandbox.objects, bucket: spec.model.bucket), name: spec.model.name,
                                aliasOrVersion: spec.aliasOrVersion)
        let schedule = try ReplaySchedule(texts: texts, count: spec.stream.tweets ?? texts.count, settings: spec.stream.arrivals,
                                          start: sandbox.clock.now)
        self.schedule = schedule
        var rules = RuleSet(seed: spec.stream.arrivals.seed)
        for rule in spec.stream.rules { try rules.add(value: rule.value, tag: rule.tag) }
        self.rules = rules
        server = try TweetStreamService(
            configuration: TweetStreamConfiguration(initialRules: spec.stream.rules, dropEvery: spec.stream.dropEvery),
            schedule: schedule, clock: sandbox.clock, logger: Logger(label: "rehearse.stream-source", factory: { _ in SwiftLogNoOpLogHandler() }))
        connector = IngestConnector(queue: queue, topic: spec.settings.tweetsTopic, batchSize: spec.settings.batchSize)
        stage = try WindowStage(
            wiring: .init(queue: queue, subscription: spec.settings.windowsSubscription, panesTopic: spec.settings.panesTopic, sink: sink,
                          handoff: handoff),
            engine: try spec.settings.windowingEngine(),
            batchSize: spec.settings.batchSize)
        workers = []
        if case .autoscaled(let policy, let every) = spec.settings.workers {
            autoscaler = Autoscaler(policy: policy, queue: queue, subscription: spec.settings.workersSubscription, clock: sandbox.clock)
            nextScaling = sandbox.clock.now.advanced(by: every)
        }

        let port = LockedValue<Int?>(nil)
        let listening = DispatchSemaphore(value: 0)
        let failure = failure
        let server = server
        let running = running
        running.enter()
        let serving = Task(executorPreference: executor) {
            defer { running.leave() }
            do {
                try await server.application(onListening: { bound in
                    port.set(bound)
                    listening.signal()
                }).runService(gracefulShutdownSignals: [])
            } catch {
                failure.set("the stream server: \(error)")
                listening.signal()
                throw error
            }
        }
        listening.wait()
        guard let bound = port.value else {
            serving.cancel()
            executor.shutDown()
            throw StreamingError.streamDidNotStart(failure.value ?? "no port")
        }
        source = HTTPTweetStreamSource(url: "http://127.0.0.1:\(bound)/2/tweets/search/stream", token: TweetStreamConfiguration.defaultToken)
        let connector = connector
        let source = source
        let clock = sandbox.clock
        let seed = spec.stream.arrivals.seed
        running.enter()
        let reading = Task(executorPreference: executor) {
            defer { running.leave() }
            do {
                try await connector.run(source: source, clock: clock, backoff: ReconnectBackoff(seed: seed))
            } catch {
                failure.set("the ingest connector: \(error)")
                throw error
            }
        }
        tasks = [serving, reading]
        resize(to: spec.settings.initialWorkers)
        try waitUntil("the connector connects") { server.status.connected }
        try awaitIngest()
    }

    /// Stops the connector and the stream, waits (a while) for them to end, and lets the
    /// executor's thread go.
    func stop() {
        source.cancellation.cancel()
        for task in tasks { task.cancel() }
        _ = running.wait(timeout: .now() + 10)
        executor.shutDown()
    }

    deinit { stop() }

    // MARK: Steps

    /// Runs the pipeline for `duration` of virtual time, tick by tick.
    func run(for duration: Duration) throws {
        let end = sandbox.clock.now.advanced(by: duration)
        while sandbox.clock.now < end {
            let next = min(sandbox.clock.now.advanced(by: spec.tick), end)
            let tick = sandbox.clock.now.duration(to: next)
            try ingest(through: next)
            try scale()
            try work(for: tick)
            try windows()
        }
    }

    /// Moves the watermark to `instant`, or to the end of time (nil), after the stage caught up.
    func moveWatermark(to instant: Instant?) throws {
        try windows()
        if let instant { _ = try stage.advanceWatermark(to: instant) } else { _ = try stage.finish() }
    }

    /// Starts a worker process and kills it with SIGKILL once it holds a batch (after storing
    /// its predictions, with `afterWrite`): its lease is left to run out.
    func kill(_ step: KillStep) throws {
        guard let executable else { throw OnlineError.noExecutable }
        try sandbox.cloud.saveClockReading()
        let settings = spec.settings
        let worker = try WorkerProcess(executable: executable, arguments: [
            "--root", sandbox.root.path, "--bucket", spec.model.bucket, "--model", "\(spec.model.name)@\(spec.aliasOrVersion)",
            "--subscription", settings.workersSubscription, "--dead-letter-topic", settings.deadLetterTopic,
            "--max-delivery-attempts", String(settings.maxDeliveryAttempts), "--batch-size", String(settings.batchSize),
            "--clock-file", CloudSandbox.clockPath(sandbox.root), "--pause-after", step.afterWrite ? "write" : "pull",
        ], subscription: settings.workersSubscription, logPath: sandbox.root.path + "/stream-worker-\(step.worker).log")
        worker.kill()
    }

    // MARK: Rounds

    /// Moves the clock to `target`, stopping at each deadline the stream or the connector sleeps
    /// until on the way, and lets ingest settle at each stop.
    private func ingest(through target: Instant) throws {
        while let deadline = sandbox.clock.nextDeadline, deadline <= target {
            try sandbox.scheduler.advance(to: deadline)
            try awaitIngest()
        }
        try sandbox.scheduler.advance(to: target)
        try awaitIngest()
    }

    /// Waits until the connector has published every line the stream sent so far, and the
    /// stream (or the connector, backing off) is asleep on the clock again. Sound because the
    /// clock stops at one sleeper's deadline at a time: waking it takes it off the clock's
    /// waiters at once, and it goes back only after the stream counted what it wrote (or the
    /// connector published what it read).
    private func awaitIngest() throws {
        var last = (sent: -1, published: -1)
        var quiet = patienceClock.now
        while true {
            if let problem = failure.value { throw StreamingError.stopped(problem) }
            let sent = server.status.tweetsSent + server.status.heartbeatsSent
            let published = connector.counts.linesPublished + connector.counts.heartbeats
            if sent == published && sandbox.clock.waiterCount >= 1 { return }
            if (sent, published) != last {
                last = (sent, published)
                quiet = patienceClock.now
            } else if quiet.duration(to: patienceClock.now) > Self.ingestPatience {
                throw StreamingError.ingestStalled(sent: sent, published: published, waited: Self.ingestPatience, state: ingestState)
            }
            usleep(200)
        }
    }

    /// Where the stream, the connector and the clock are: for an ingest that stalled.
    private var ingestState: String {
        let status = server.status
        return "clock at \(sandbox.clock.now.iso8601) with \(sandbox.clock.waiterCount) tasks asleep on it; stream connected: \(status.connected), "
            + "connections: \(status.connections), drops: \(status.drops); connector connections: \(connector.counts.connections)"
    }

    /// Lets the autoscaler look at the backlog at each of its instants that the clock passed.
    private func scale() throws {
        guard var autoscaler, case .autoscaled(_, let every) = spec.settings.workers else { return }
        while let next = nextScaling, next <= sandbox.clock.now {
            if let decision = try autoscaler.evaluate(current: workers.count) {
                decisions.append(decision)
                resize(to: decision.to)
            }
            nextScaling = next.advanced(by: every)
        }
        self.autoscaler = autoscaler
    }

    /// Each worker in turn takes its share of the backlog for a tick.
    private func work(for tick: Duration) throws {
        var share: Int?
        if let rate = spec.workerRate {
            credit += rate * tick.seconds
            share = Int(credit)
            credit -= Double(share!)
        }
        for worker in workers {
            var left = share ?? Int.max
            while left > 0 {
                let outcome = try worker.processBatch(maxMessages: left)
                processed.add(outcome)
                if outcome.pulled == 0 { break }
                left -= outcome.pulled
            }
        }
    }

    private func windows() throws {
        while true {
            let progress = try stage.processBatch(now: sandbox.clock.now)
            if progress.pulled == progress.waiting { return }
        }
    }

    private func resize(to count: Int) {
        while workers.count < count {
            workers.append(PredictionWorker(
                wiring: .init(queue: queue, subscription: spec.settings.workersSubscription, deadLetterTopic: spec.settings.deadLetterTopic,
                              maxDeliveryAttempts: spec.settings.maxDeliveryAttempts, sink: sink, handoff: handoff),
                model: model, batchSize: spec.settings.batchSize))
        }
        if workers.count > count { workers.removeLast(workers.count - count) }
        provisioned?.hold("streaming workers", vcpus: count, from: sandbox.clock.now)
    }

    private func waitUntil(_ what: String, _ condition: () -> Bool) throws {
        let start = patienceClock.now
        while !condition() {
            if let problem = failure.value { throw StreamingError.stopped(problem) }
            guard start.duration(to: patienceClock.now) < Self.ingestPatience else { throw StreamingError.streamDidNotStart("waited \(Self.ingestPatience) for \(what)") }
            usleep(200)
        }
    }

    // MARK: Captures

    /// A pane or prediction table as records, in key order.
    func records(table: String, first: Int? = nil) throws -> [JSONValue] {
        let rows = try sink.allRows(table: table)
        return try rows.prefix(first ?? rows.count).map { try JSONParser.parse(String(decoding: $0.value, as: UTF8.self)) }
    }

    /// The dead letters, oldest first: their bytes (as text) and attributes.
    func deadLetters() throws -> [JSONValue] {
        try queue.peek(spec.settings.deadLetterTopic, limit: 100_000).map { message in
            .object(["data": .string(String(decoding: message.data, as: UTF8.self)),
                     "attributes": .object(message.attributes.mapValues(JSONValue.string))])
        }
    }

    /// What came in: the stream's and the connector's counts, what the sink holds, and how
    /// many of the tweets the stream should have sent by now (arrived, matching a rule) are
    /// missing from the sink.
    func ingest() throws -> JSONValue {
        let sent = server.status
        let counts = connector.counts
        let arrived = schedule.firstPosition(arrivingAtOrAfter: sandbox.clock.now.advanced(by: .nanoseconds(1)))
        let due = (0..<arrived).map(schedule.tweet(at:)).filter { !rules.matching(text: $0.text, lang: $0.lang).isEmpty }.map(\.id)
        let stored = try sink.values(table: StreamPrediction.table, keys: due)
        return .object([
            "tweets_due": .integer(due.count),
            "tweets_due_missing_from_sink": .integer(due.count - stored.count),
            "stream": .object(["connections": .integer(sent.connections), "drops": .integer(sent.drops),
                               "tweets_sent": .integer(sent.tweetsSent), "heartbeats_sent": .integer(sent.heartbeatsSent)]),
            "connector": .object(["connections": .integer(counts.connections), "drops": .integer(counts.drops),
                                  "lines_published": .integer(counts.linesPublished), "heartbeats": .integer(counts.heartbeats)]),
            "predictions_stored": .integer(try sink.count(table: StreamPrediction.table)),
            "deliveries_found_stored": .integer(processed.alreadyStored),
            "dead_lettered": .integer(processed.deadLettered),
            "panes_stored": .integer(try sink.count(table: WindowStage.table)),
            "watermark": stage.watermark.map { .string($0.iso8601) } ?? .null,
            "dropped_late": .object(stage.droppedLate.mapValues { .integer($0) }),
        ])
    }
}

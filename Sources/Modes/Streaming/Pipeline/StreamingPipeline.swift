import LocalCloud
import Synchronization

/// The streaming pipeline, running on its own in real time: the ingest connector reads the
/// tweet stream into the tweets topic, workers (as many as the settings say, or as the
/// autoscaler decides) predict and store, and the windowing stage fires panes, all at once on
/// the clock, until ``stop()``.
///
/// Stopping is clean: the connector stops reading, each worker finishes the batch it holds
/// (writing it before acking it) and takes no other, and the windowing stage commits what it
/// windowed. Whatever was not acked is delivered again to the next run.
public final class StreamingPipeline: Sendable {
    /// The settings.
    public let settings: StreamingSettings
    private let queue: any MessageQueue
    private let sink: any TableSink
    private let clock: any CloudClock
    private let model: StreamModel
    private let engine: WindowingEngine
    private let stopping = StopFlag()
    private let current = Mutex(StreamingStatus())
    private let connector: IngestConnector
    /// The connector's run, cancelled by `stop()`: a wait before reconnecting (minutes, after
    /// repeated 429s) ends at once instead of being waited out.
    private let connecting = Mutex<Task<Void, any Error>?>(nil)
    private let onStored: (@Sendable ([Instant]) -> Void)?
    /// The workers' predictions for the window stage.
    private let handoff = PredictionHandoff()

    /// A pipeline over `queue` and `sink`, predicting with `model`; its windows, trigger and
    /// watermark delay come from `settings`. `onStored` is told the publish times of every batch
    /// a worker stores.
    /// - Throws: `WindowingError` for windows the engine refuses;
    ///   `StreamingSetupError.windowSettingsChanged` when the sink's window stage was started
    ///   with other windows, trigger or watermark delay.
    public init(queue: any MessageQueue, sink: any TableSink, clock: any CloudClock, model: StreamModel,
                settings: StreamingSettings, onStored: (@Sendable ([Instant]) -> Void)? = nil) throws {
        self.onStored = onStored
        self.queue = queue
        self.sink = sink
        self.clock = clock
        self.model = model
        self.settings = settings
        engine = try settings.windowingEngine()
        try WindowStage.checkResumable(sink: sink, engine: engine)
        connector = IngestConnector(queue: queue, topic: settings.tweetsTopic, batchSize: settings.batchSize)
    }

    /// What the pipeline has done so far.
    public var status: StreamingStatus {
        var status = current.withLock { $0 }
        status.ingest = connector.counts
        return status
    }

    /// Asks every part to stop after what it is doing now (the connector at once if it is
    /// waiting to reconnect).
    public func stop() {
        stopping.raise()
        connecting.withLock { $0 }?.cancel()
    }

    private var isStopping: Bool { stopping.isRaised }

    /// Runs until ``stop()`` (or until a part fails, which stops the others).
    /// - Parameters:
    ///   - source: the tweet stream (stop it too, if its reads block: `HTTPTweetStreamSource`'s
    ///     cancellation).
    ///   - backoffSeed: the seed of the reconnect jitter.
    ///   - onReconnect: told how each connection to the stream ended and how long the connector
    ///     waits before the next.
    /// - Returns: the final status.
    public func run(source: some TweetStreamSource, backoffSeed: UInt64,
                    onReconnect: (@Sendable (StreamSessionEnd, Duration) -> Void)? = nil) async throws -> StreamingStatus {
        try settings.prepare(queue)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.runConnector(source: source, backoffSeed: backoffSeed, onReconnect: onReconnect) }
                group.addTask { try await self.runWindowStage() }
                group.addTask { try await self.runWorkers() }
                try await group.waitForAll()
            }
        } catch {
            stop()
            throw error
        }
        return status
    }

    private func runConnector(source: some TweetStreamSource, backoffSeed: UInt64,
                              onReconnect: (@Sendable (StreamSessionEnd, Duration) -> Void)?) async throws {
        let run = Task {
            try await connector.run(source: source, clock: clock, backoff: ReconnectBackoff(seed: backoffSeed),
                                    shouldStop: { self.isStopping }, onReconnect: onReconnect)
        }
        connecting.withLock { $0 = run }
        if isStopping { run.cancel() }  // a stop that came before the run was kept
        do {
            try await withTaskCancellationHandler { try await run.value } onCancel: { run.cancel() }
        } catch is CancellationError where isStopping {
            // Cancelled by `stop()` while waiting to reconnect: a clean stop.
        }
    }

    private func runWindowStage() async throws {
        let stage = try WindowStage(
            wiring: .init(queue: queue, subscription: settings.windowsSubscription, panesTopic: settings.panesTopic, sink: sink,
                          handoff: handoff),
            engine: engine, batchSize: settings.batchSize)
        while !isStopping {
            let progress = try stage.processBatch(now: clock.now)
            current.withLock {
                $0.windowed += progress.windowed
                $0.panes += progress.panes.count
                $0.watermark = stage.watermark
                $0.droppedLate = stage.droppedLate
            }
            // Messages left waiting mean the workers are behind: reading them again at once
            // would only find them waiting again.
            if progress.pulled == 0 || progress.waiting > 0 { try await idle() }
        }
    }

    private func runWorkers() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running: [StopFlag] = []
            func resize(to count: Int) {
                while running.count < count {
                    let retired = StopFlag()
                    running.append(retired)
                    group.addTask { try await self.runWorker(retired: retired) }
                }
                while running.count > count { running.removeLast().raise() }
                current.withLock { $0.workerCount = count }
            }
            resize(to: settings.initialWorkers)
            if case .autoscaled(let policy, let interval) = settings.workers {
                var autoscaler = Autoscaler(policy: policy, queue: queue, subscription: settings.workersSubscription, clock: clock)
                while !isStopping {
                    try await clock.sleep(until: clock.now.advanced(by: interval))
                    if let decision = try autoscaler.evaluate(current: running.count) {
                        current.withLock { $0.decisions.append(decision) }
                        resize(to: decision.to)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    private func runWorker(retired: StopFlag) async throws {
        let worker = PredictionWorker(
            wiring: .init(queue: queue, subscription: settings.workersSubscription, deadLetterTopic: settings.deadLetterTopic,
                          maxDeliveryAttempts: settings.maxDeliveryAttempts, sink: sink, onStored: onStored, handoff: handoff),
            model: model, batchSize: settings.batchSize)
        while !isStopping && !retired.isRaised {
            let outcome = try worker.processBatch()
            current.withLock { $0.workers.add(outcome) }
            if outcome.pulled == 0 { try await idle() }
        }
    }

    private func idle() async throws {
        try await clock.sleep(until: clock.now.advanced(by: settings.idlePoll))
    }
}

/// A flag one task raises and others read: a stop request.
final class StopFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    /// Whether it was raised.
    var isRaised: Bool { raised.load(ordering: .acquiring) }

    /// Raises it.
    func raise() { raised.store(true, ordering: .releasing) }
}

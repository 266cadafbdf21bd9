import LocalCloud

/// How a streaming pipeline is wired and sized: the names of its topics and subscriptions, its
/// batches, its workers, and its windows.
public struct StreamingSettings: Sendable {
    /// How many workers run.
    public enum Workers: Sendable, Equatable {
        /// Always this many.
        case fixed(Int)
        /// As many as the policy says, evaluated every `every` on the clock.
        case autoscaled(AutoscalingPolicy, every: Duration)
    }

    /// The topic the ingest connector publishes tweets to.
    public var tweetsTopic = "tweets"
    /// The workers' subscription to it.
    public var workersSubscription = "tweets-workers"
    /// The windowing stage's own subscription to it.
    public var windowsSubscription = "tweets-windows"
    /// The topic window panes are published to.
    public var panesTopic = "sentiment-windows"
    /// Where poison messages go, with their reason.
    public var deadLetterTopic = "tweets-dead-letters"
    /// Deliveries of a poison message before it is dead-lettered.
    public var maxDeliveryAttempts = 5
    /// How long a pulled batch stays leased (a killed worker's batch comes back after this).
    public var ackDeadline: Duration = .seconds(30)
    /// Messages per pull and per publish.
    public var batchSize = 500
    /// The workers.
    public var workers: Workers = .fixed(2)
    /// The windows every rule tag is counted in.
    public var windows: [WindowSpec] = [.tumbling(size: .seconds(60)), .sliding(size: .seconds(300), period: .seconds(60))]
    /// When panes fire.
    public var trigger = TriggerSpec()
    /// The watermark is the latest event time seen minus this.
    public var watermarkDelay: Duration = .seconds(10)
    /// How long an idle worker or stage waits on the clock before pulling again.
    public var idlePoll: Duration = .milliseconds(20)

    /// The default settings.
    public init() {}

    /// A windowing engine with these windows, trigger and watermark delay, no window open yet.
    /// - Throws: `WindowingError` naming the setting the engine refuses.
    public func windowingEngine() throws(WindowingError) -> WindowingEngine {
        try WindowingEngine(windows: windows, trigger: trigger, watermarkDelay: watermarkDelay)
    }

    /// Creates the pipeline's topics and subscriptions on `queue` (those that exist are kept).
    /// - Throws: the queue's error, or `StreamingSetupError` when the windows subscription
    ///   exists with leased delivery.
    public func prepare(_ queue: any MessageQueue) throws {
        for topic in [tweetsTopic, panesTopic, deadLetterTopic] { try queue.createTopic(topic) }
        // Acked tweets are not kept for a seek (the pipeline never seeks; the sink has them).
        try queue.createSubscription(workersSubscription, topic: tweetsTopic,
                                     options: SubscriptionOptions(ackDeadline: ackDeadline, retainAckedMessages: .zero))
        do {
            try queue.createSubscription(windowsSubscription, topic: tweetsTopic, options: SubscriptionOptions(delivery: .inOrder))
        } catch MessageQueueError.invalidArgument(field: "delivery", _) {
            throw StreamingSetupError.leasedWindowsSubscription(windowsSubscription)
        }
        // A subscription named as each of the panes and dead-letter topics keeps their messages
        // for whoever reads them next (`rehearse cloud peek`, a scenario's captures).
        for topic in [panesTopic, deadLetterTopic] { try queue.createSubscription(topic, topic: topic) }
    }

    /// The first worker count: the fixed one, or the policy's minimum.
    public var initialWorkers: Int {
        switch workers {
        case .fixed(let count): max(1, count)
        case .autoscaled(let policy, _): policy.minWorkers
        }
    }
}

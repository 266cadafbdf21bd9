import LocalCloud
import Modes
import Synchronization

/// Where a service's prediction log and quality events go, and how the monitor judges quality.
public struct MonitoringConfiguration: Sendable {
    /// The queue topic of the prediction log (created if missing, with a subscription of the
    /// same name).
    public var logTopic: String
    /// Whether log records carry the text (otherwise only its SHA-256).
    public var logText: Bool
    /// The most records buffered for the log; more are dropped and counted.
    public var logCapacity: Int
    /// The queue topic of `quality-degraded` messages (created as the log's topic is).
    public var qualityTopic: String
    /// The rolling window, minimum labels and floor.
    public var quality: QualityMonitor.Settings

    /// A configuration with the documented defaults for everything not given.
    public init(logTopic: String = "predictions", logText: Bool = false, logCapacity: Int = 10_000,
                qualityTopic: String = "model-quality", quality: QualityMonitor.Settings = QualityMonitor.Settings()) {
        self.logTopic = logTopic
        self.logText = logText
        self.logCapacity = logCapacity
        self.qualityTopic = qualityTopic
        self.quality = quality
    }
}

/// A service's prediction log (KServe's payload logger) and quality monitor, fed after every
/// answered request: each text becomes one `PredictionRecord`, logged off the request path and
/// remembered for feedback.
public final class ServiceMonitoring: Sendable {
    /// The prediction log.
    public let log: PredictionLog
    /// The quality monitor.
    public let quality: QualityMonitor
    private let clock: any CloudClock
    private let logText: Bool
    private let requestCounter = Atomic<Int>(0)

    /// Monitoring on `queue`: records and events take their time from `clock`; a failed
    /// publish waits `retryClock` (a clock that can sleep) before trying again.
    /// - Throws: the queue's error creating the topics, or `MonitoringSettingsError`.
    /// (Not optimised: Swift 6.3.1's release optimiser crashes in CopyPropagation on this
    /// initialiser, which runs once per service.)
    @_optimize(none)
    public init(configuration: MonitoringConfiguration, queue: any MessageQueue, clock: any CloudClock,
                retryClock: any CloudClock) throws {
        let existing = Set(try queue.topics().map(\.name))
        for topic in [configuration.logTopic, configuration.qualityTopic] where !existing.contains(topic) {
            try queue.createTopic(topic)
            // A topic no subscription reads drops what is published to it (as in Pub/Sub): a
            // topic made here gets one named as it, which keeps the log and the events for
            // whoever reads them next. Topics that existed are left as their owner set them up,
            // and so is a subscription of that name on another topic.
            do {
                try queue.createSubscription(topic, topic: topic)
            } catch MessageQueueError.subscriptionConflict {
                continue
            }
        }
        let log = try PredictionLog(queue: queue, topic: configuration.logTopic, clock: retryClock, capacity: configuration.logCapacity)
        let quality = try QualityMonitor(settings: configuration.quality, queue: queue, topic: configuration.qualityTopic, clock: clock)
        self.log = log
        self.quality = quality
        self.clock = clock
        logText = configuration.logText
    }

    /// Logs and remembers what `model` answered to `texts` of a request; a request without an id
    /// gets one (`srv-<n>`). Never blocks on the queue.
    /// - Returns: the request id used.
    @discardableResult
    func served(_ result: InferenceResult, texts: [String], requestID: String?, model: ServedModel) -> String {
        let id = requestID ?? "srv-\(requestCounter.add(1, ordering: .relaxed).newValue)"
        let time = clock.now
        let labels = model.labels
        let records = texts.indices.map { index in
            PredictionRecord(requestID: id, index: index, modelName: model.name, modelVersion: model.version, modelID: model.modelID,
                             label: labels[result.labelIndices[index]], score: result.scores[index], text: texts[index],
                             logText: logText, time: time)
        }
        log.record(records)
        quality.remember(records, labels: model.labels, metadata: model.metadata)
        return id
    }
}

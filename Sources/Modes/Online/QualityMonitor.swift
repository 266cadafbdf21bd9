import Foundation
import LocalCloud
import ModelCore
import Synchronization

/// Rolling quality per model version, from true labels that clients send as feedback for
/// earlier predictions — how online inference shows a model degrading.
///
/// The monitor remembers the latest `Settings.remembered` predictions by request id and index
/// (an older prediction under the same id and index is replaced; the oldest are forgotten
/// first). Feedback is joined to them; each match adds (true label, predicted label) to the
/// rolling window of the version that predicted, which holds the last `Settings.window` of
/// them. After every match the version's rolling accuracy is compared with its floor: once the
/// window holds at least `Settings.minimumLabels` labels and the accuracy is below the floor,
/// the version becomes degraded and one `quality-degraded` message (``QualityDegradedEvent``)
/// goes to the topic; it is re-armed only when the accuracy is back at or above the floor.
///
/// `remember` only takes a short lock, so it is safe on the request path; messages are
/// published outside that lock.
public final class QualityMonitor: Sendable {
    /// How quality is judged.
    public struct Settings: Sendable, Equatable {
        /// How many of the latest labelled predictions count (at least 1).
        public var window: Int
        /// How many labels the window must hold before a version can be degraded (1…window).
        public var minimumLabels: Int
        /// Without an explicit `floor`, the floor is the model's test accuracy minus this (≥ 0).
        public var floorMargin: Double
        /// An explicit floor (0…1) for every version; nil uses each model's test accuracy.
        public var floor: Double?
        /// How many predictions are remembered for joining feedback (at least 1).
        public var remembered: Int

        public init(window: Int = 500, minimumLabels: Int = 200, floorMargin: Double = 0.05, floor: Double? = nil,
                    remembered: Int = 100_000) {
            self.window = window
            self.minimumLabels = minimumLabels
            self.floorMargin = floorMargin
            self.floor = floor
            self.remembered = remembered
        }

        /// Throws unless every setting is in range.
        public func validate() throws(MonitoringSettingsError) {
            try MonitoringSettingsError.require("window", window, atLeast: 1)
            try MonitoringSettingsError.require("minimumLabels", minimumLabels, atLeast: 1)
            guard minimumLabels <= window else {
                throw MonitoringSettingsError(
                    setting: "minimumLabels", reason: "must not exceed the window (\(window)), got \(minimumLabels)")
            }
            guard floorMargin.isFinite, floorMargin >= 0 else {
                throw MonitoringSettingsError(setting: "floorMargin", reason: "must be a number ≥ 0, got \(floorMargin)")
            }
            if let floor, !(0...1).contains(floor) {
                throw MonitoringSettingsError(setting: "floor", reason: "must be between 0 and 1, got \(floor)")
            }
            try MonitoringSettingsError.require("remembered", remembered, atLeast: 1)
        }
    }

    private struct PredictionKey: Hashable {
        let requestID: String
        let index: Int
    }

    private struct VersionKey: Hashable {
        let name: String
        let version: Int
    }

    private struct RememberedPrediction {
        /// Index into `State.versions`.
        let slot: Int
        /// Index into the version's labels.
        let predicted: Int
        /// When it was remembered, so the forgetting order can skip replaced entries.
        let serial: UInt64
        var labelled = false
    }

    /// One model version's rolling window and alarm.
    private struct VersionQuality {
        let key: VersionKey
        let modelID: String
        /// The model's labels, then true labels it does not predict, counted as misses.
        var labelIndex: [String: Int]
        /// How many of `labelIndex` are the model's own.
        let modelLabelCount: Int
        let floor: Double?
        var rolling: RollingQuality
        var degraded = false
        var degradations = 0
    }

    private struct State {
        var versions: [VersionQuality] = []
        var slots: [VersionKey: Int] = [:]
        var predictions: [PredictionKey: RememberedPrediction] = [:]
        /// Remembered keys, oldest first, with the serial they were remembered under.
        var order = FIFOBuffer<(key: PredictionKey, serial: UInt64)>()
        var serial: UInt64 = 0
        /// Messages decided but not yet published, oldest first.
        var outbox = FIFOBuffer<QualityDegradedEvent>()
    }

    public let settings: Settings
    /// The topic `quality-degraded` messages are published to.
    public let topic: String
    private let queue: any MessageQueue
    private let clock: any CloudClock
    private let state = Mutex(State())
    /// Held while messages are published, so they leave one call at a time, in order.
    private let publisher = Mutex(())

    /// A monitor publishing to `topic` of `queue` (the topic must exist), with message times
    /// from `clock`. Throws if a setting is out of range.
    public init(settings: Settings = Settings(), queue: any MessageQueue, topic: String, clock: any CloudClock)
        throws(MonitoringSettingsError)
    {
        try settings.validate()
        self.settings = settings
        self.queue = queue
        self.topic = topic
        self.clock = clock
    }

    /// Remembers predictions so that feedback can be joined to them.
    /// - Parameters:
    ///   - labels: the predicting model's labels; a record whose label is not among them is
    ///     not remembered.
    ///   - baselineAccuracy: the model's test accuracy; with no explicit floor, the floor is
    ///     this minus `floorMargin` (no floor when nil).
    /// The labels and baseline of a version are taken from the first call that names it.
    public func remember(_ records: [PredictionRecord], labels: [String], baselineAccuracy: Double?) {
        state.withLock { state in
            for record in records {
                let slot = slot(for: record, labels: labels, baselineAccuracy: baselineAccuracy, in: &state)
                guard let predicted = state.versions[slot].labelIndex[record.label] else { continue }
                state.serial += 1
                let key = PredictionKey(requestID: record.requestID, index: record.index)
                state.predictions[key] = RememberedPrediction(slot: slot, predicted: predicted, serial: state.serial)
                state.order.append((key, state.serial))
                while state.order.count > settings.remembered, let oldest = state.order.popFirst() {
                    if state.predictions[oldest.key]?.serial == oldest.serial { state.predictions[oldest.key] = nil }
                }
            }
        }
    }

    /// Remembers predictions of a model with `labels`, its test-split accuracy from its
    /// `metadata` as the baseline.
    public func remember(_ records: [PredictionRecord], labels: [String], metadata: ModelMetadata) {
        remember(records, labels: labels, baselineAccuracy: metadata.metrics?.accuracy)
    }

    /// Joins true labels with remembered predictions, in order: each match counts in its
    /// version's rolling window (and may raise the degraded alarm, publishing one message); each
    /// other item is returned with its reason. A true label the model does not predict (a class
    /// it was not trained on) counts as a miss and is named in
    /// ``FeedbackOutcome/labelsOutsideModel`` (so a misspelt label shows); up to
    /// ``maximumLabelsOutsideModel`` such labels per version, after which they are refused. Never throws: a message that cannot be published
    /// is kept for the next call (see ``FeedbackOutcome/publishError``).
    /// True labels outside a model's own that one version counts before refusing more.
    public static let maximumLabelsOutsideModel = 16

    public func feedback(_ items: [FeedbackItem]) -> FeedbackOutcome {
        let (accepted, unmatched, outside) = state.withLock { state in
            var accepted = 0
            var unmatched: [UnmatchedFeedback] = []
            var outside: Set<String> = []
            for item in items {
                let key = PredictionKey(requestID: item.requestID, index: item.index)
                guard let prediction = state.predictions[key] else {
                    unmatched.append(UnmatchedFeedback(requestID: item.requestID, index: item.index, reason: .unknownPrediction))
                    continue
                }
                guard !prediction.labelled else {
                    unmatched.append(UnmatchedFeedback(requestID: item.requestID, index: item.index, reason: .alreadyLabelled))
                    continue
                }
                let version = state.versions[prediction.slot]
                let truth: Int
                if let known = version.labelIndex[item.label] {
                    truth = known
                } else if version.labelIndex.count < version.modelLabelCount + Self.maximumLabelsOutsideModel, !item.label.isEmpty,
                          item.label.utf8.count <= 64 {
                    // A class the model was not trained on: every such prediction is a miss.
                    truth = state.versions[prediction.slot].rolling.addLabel(item.label)
                    state.versions[prediction.slot].labelIndex[item.label] = truth
                } else {
                    unmatched.append(UnmatchedFeedback(
                        requestID: item.requestID, index: item.index,
                        reason: .unknownLabel(item.label, expected: Array(version.rolling.labels.prefix(version.modelLabelCount)))))
                    continue
                }
                if truth >= version.modelLabelCount { outside.insert(item.label) }
                state.predictions[key]?.labelled = true
                if let event = count(truth: truth, predicted: prediction.predicted, in: &state.versions[prediction.slot]) {
                    state.outbox.append(event)
                }
                accepted += 1
            }
            return (accepted, unmatched, outside)
        }
        var publishError: String?
        do { try flush() } catch { publishError = "\(error)" }
        return FeedbackOutcome(accepted: accepted, unmatched: unmatched,
                               labelsOutsideModel: outside.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }, publishError: publishError)
    }

    /// Publishes the `quality-degraded` messages that could not be published before. Throws the
    /// queue's error; they stay kept.
    public func flush() throws {
        try publisher.withLock { _ in
            let events = state.withLock { $0.outbox.prefix($0.outbox.count) }
            guard !events.isEmpty else { return }
            try queue.publish(events.map { OutgoingMessage(data: Data($0.json.utf8)) }, to: topic)
            state.withLock { $0.outbox.removeFirst(events.count) }
        }
    }

    /// The quality of one version, or nil if none of its predictions was remembered.
    public func state(modelName: String, version: Int) -> QualityState? {
        state.withLock { state in
            state.slots[VersionKey(name: modelName, version: version)].map { Self.snapshot(state.versions[$0], settings) }
        }
    }

    /// The quality of every version seen, by model name, then version.
    public func states() -> [QualityState] {
        state.withLock { state in
            state.versions
                .sorted { first, second in
                    first.key.name == second.key.name
                        ? first.key.version < second.key.version
                        : first.key.name.utf8.lexicographicallyPrecedes(second.key.name.utf8)
                }
                .map { Self.snapshot($0, settings) }
        }
    }

    /// The slot of the record's version, made on first sight.
    private func slot(for record: PredictionRecord, labels: [String], baselineAccuracy: Double?, in state: inout State) -> Int {
        let key = VersionKey(name: record.modelName, version: record.modelVersion)
        if let slot = state.slots[key] { return slot }
        let version = VersionQuality(
            key: key, modelID: record.modelID,
            labelIndex: Dictionary(labels.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first }),
            modelLabelCount: labels.count,
            floor: settings.floor ?? baselineAccuracy.map { $0 - settings.floorMargin },
            rolling: RollingQuality(labels: labels, window: settings.window))
        state.versions.append(version)
        state.slots[key] = state.versions.count - 1
        return state.versions.count - 1
    }

    /// Counts one labelled prediction and updates the alarm; returns the message to publish
    /// when the version has just become degraded.
    private func count(truth: Int, predicted: Int, in version: inout VersionQuality) -> QualityDegradedEvent? {
        version.rolling.add(truth: truth, predicted: predicted)
        guard let floor = version.floor, version.rolling.count >= settings.minimumLabels else { return nil }
        let metrics = version.rolling.metrics
        let below = metrics.accuracy < floor
        defer { version.degraded = below }
        guard below, !version.degraded else { return nil }
        version.degradations += 1
        return QualityDegradedEvent(
            modelName: version.key.name, modelVersion: version.key.version, modelID: version.modelID,
            rollingAccuracy: metrics.accuracy, macroF1: metrics.macroF1, floor: floor,
            labels: version.rolling.count, window: settings.window, time: clock.now)
    }

    private static func snapshot(_ version: VersionQuality, _ settings: Settings) -> QualityState {
        let metrics = version.rolling.count == 0 ? nil : version.rolling.metrics
        return QualityState(
            modelName: version.key.name, modelVersion: version.key.version, modelID: version.modelID,
            labels: version.rolling.count, window: settings.window, accuracy: metrics?.accuracy, macroF1: metrics?.macroF1,
            floor: version.floor, degraded: version.degraded, degradations: version.degradations)
    }
}

import Foundation
import LocalCloud
import ModelCore

/// One worker of the pipeline: pulls a batch of tweets from its subscription, predicts them with
/// the shared model core, writes the predictions to the sink in one transaction, and only then
/// acks. Writes are idempotent (keyed by tweet id), so a batch delivered again after a crash
/// leaves the sink as one delivery would.
///
/// A message that cannot be read (a poison message) is nacked, so it is delivered again, until
/// its delivery attempts reach `maxDeliveryAttempts`; then it is published to the dead-letter
/// topic with its reason (attribute `reason`) and acked.
public struct PredictionWorker: Sendable {
    /// Where the worker's messages and dead letters go.
    public struct Wiring: Sendable {
        /// The queue.
        public var queue: any MessageQueue
        /// The subscription pulled from.
        public var subscription: String
        /// Where poison messages go.
        public var deadLetterTopic: String
        /// Deliveries of a poison message before it is dead-lettered (at least 1).
        public var maxDeliveryAttempts: Int
        /// The sink the predictions go to.
        public var sink: any TableSink
        /// Told the publish times of each batch's messages once its predictions are stored (a
        /// benchmark measures latency with it).
        public var onStored: (@Sendable ([Instant]) -> Void)?
        /// Where the predictions stored go for a window stage in this process, if there is one.
        public var handoff: PredictionHandoff?

        /// Wiring from its parts.
        public init(queue: any MessageQueue, subscription: String, deadLetterTopic: String, maxDeliveryAttempts: Int,
                    sink: any TableSink, onStored: (@Sendable ([Instant]) -> Void)? = nil, handoff: PredictionHandoff? = nil) {
            self.queue = queue
            self.subscription = subscription
            self.deadLetterTopic = deadLetterTopic
            self.maxDeliveryAttempts = max(1, maxDeliveryAttempts)
            self.sink = sink
            self.onStored = onStored
            self.handoff = handoff
        }
    }

    /// What one batch did.
    public struct BatchOutcome: Equatable, Sendable {
        /// Messages pulled (0: the subscription had nothing available).
        public var pulled = 0
        /// Predictions stored by this batch.
        public var stored = 0
        /// Predictions that were stored already (a message delivered again).
        public var alreadyStored = 0
        /// Poison messages moved to the dead-letter topic.
        public var deadLettered = 0
        /// Poison messages nacked for another attempt.
        public var retried = 0

        /// Nothing done yet.
        public init() {}

        /// Adds `other`'s counts to these.
        public mutating func add(_ other: BatchOutcome) {
            pulled += other.pulled
            stored += other.stored
            alreadyStored += other.alreadyStored
            deadLettered += other.deadLettered
            retried += other.retried
        }
    }

    /// The worker's wiring.
    public let wiring: Wiring
    /// The model it predicts with.
    public let model: StreamModel
    /// Messages pulled at a time.
    public let batchSize: Int

    /// A worker on `wiring`, predicting with `model`, `batchSize` messages at a time.
    public init(wiring: Wiring, model: StreamModel, batchSize: Int) {
        self.wiring = wiring
        self.model = model
        self.batchSize = max(1, batchSize)
    }

    /// Pulls and processes one batch of at most `maxMessages` (default: the batch size).
    /// `afterPull` and `afterWrite` are told how many messages the batch holds once it is leased
    /// and once its predictions are stored (before any ack): where a rehearsal kills a worker.
    /// - Throws: the queue's or sink's error; nothing is acked that was not written.
    public func processBatch(maxMessages: Int? = nil, afterPull: (Int) -> Void = { _ in },
                             afterWrite: (Int) -> Void = { _ in }) throws -> BatchOutcome {
        let messages = try wiring.queue.pull(wiring.subscription, maxMessages: max(1, min(maxMessages ?? batchSize, batchSize)))
        if !messages.isEmpty { afterPull(messages.count) }
        var outcome = BatchOutcome()
        outcome.pulled = messages.count
        guard !messages.isEmpty else { return outcome }
        var tweets: [(messageID: Int64, tweet: StreamedTweet)] = []
        var done: [String] = []
        var retry: [String] = []
        var deadLetters: [OutgoingMessage] = []
        for message in messages {
            do {
                tweets.append((message.messageID, try StreamedTweet(line: message.data)))
                done.append(message.ackID)
            } catch {
                if message.deliveryAttempt >= wiring.maxDeliveryAttempts {
                    deadLetters.append(Self.deadLetter(message, reason: error))
                    done.append(message.ackID)
                } else {
                    retry.append(message.ackID)
                }
            }
        }
        let registered = model.refresh()
        var workspace = PredictionWorkspace()
        let predictions = tweets.map {
            StreamPrediction(tweet: $0.tweet, prediction: registered.model.predict($0.tweet.text, workspace: &workspace))
        }
        let written = try wiring.sink.write(predictions.map(\.row))
        if let handoff = wiring.handoff, written.inserted == predictions.count {
            handoff.offer(zip(tweets, predictions).map {
                ($0.messageID, StoredPrediction(label: $1.prediction.label, score: $1.prediction.score))
            })
        }
        wiring.onStored?(messages.map(\.publishTime))
        afterWrite(messages.count)
        if !deadLetters.isEmpty { try wiring.queue.publish(deadLetters, to: wiring.deadLetterTopic) }
        try wiring.queue.ack(wiring.subscription, ackIDs: done)
        if !retry.isEmpty { try wiring.queue.nack(wiring.subscription, ackIDs: retry) }
        outcome.stored = written.inserted
        outcome.alreadyStored = written.alreadyStored
        outcome.deadLettered = deadLetters.count
        outcome.retried = retry.count
        return outcome
    }

    /// The dead letter for `message`: its bytes, its attributes plus `reason`,
    /// `delivery_attempts` and `source_message_id`; deduplicated by the source message id, so
    /// a worker that dies before acking does not dead-letter it twice.
    static func deadLetter(_ message: ReceivedMessage, reason: PoisonReason) -> OutgoingMessage {
        var attributes = message.attributes
        attributes["reason"] = reason.description
        attributes["delivery_attempts"] = String(message.deliveryAttempt)
        attributes["source_message_id"] = String(message.messageID)
        return OutgoingMessage(data: message.data, attributes: attributes, deduplicationID: "poison-\(message.messageID)")
    }
}

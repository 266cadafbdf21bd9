import Foundation
import JSON
import LocalCloud

/// The windowing stage: reads the `tweets` topic through an in-order subscription of its own
/// (`SubscriptionOptions.Delivery.inOrder`), in publish order — the stream's order — takes each
/// tweet's prediction from the sink once a worker has stored it (from the `PredictionHandoff`
/// when a worker of this process offered it there, which saves reading it back), and feeds the
/// `WindowingEngine`. The panes it fires go to the sink's `panes` table and to the windows topic.
///
/// Its output does not depend on how many workers there are or how fast they run: tweets are
/// windowed strictly in stream order (a tweet whose prediction is not stored yet holds back the
/// ones after it), so the watermark, and with it every pane's timing, is decided by the stream.
///
/// Crash safety: the panes of a batch, the engine's state and the last message id windowed are
/// written to the sink in one transaction, before the panes are published and the messages
/// committed. The stage reads after the last message id of its own checkpoint, so a commit lost
/// in a crash costs nothing; a restarted stage publishes its last panes again, which the topic
/// deduplicates (dedup id = the pane's sink key). So the sink and the topic end up as after an
/// uninterrupted run.
public final class WindowStage {
    /// The sink table the panes go to.
    public static let table = "panes"

    /// Where the stage reads and writes.
    public struct Wiring: Sendable {
        /// The queue.
        public var queue: any MessageQueue
        /// The stage's own in-order subscription to the tweets topic (one reader).
        public var subscription: String
        /// The topic panes are published to.
        public var panesTopic: String
        /// The sink holding predictions (read) and panes (written).
        public var sink: any TableSink
        /// The name of the stage's checkpoint in the sink.
        public var checkpointName: String
        /// Predictions the workers of this process stored, taken before reading the sink.
        public var handoff: PredictionHandoff?

        /// Wiring from its parts.
        public init(queue: any MessageQueue, subscription: String, panesTopic: String, sink: any TableSink,
                    checkpointName: String = "window-stage", handoff: PredictionHandoff? = nil) {
            self.queue = queue
            self.subscription = subscription
            self.panesTopic = panesTopic
            self.sink = sink
            self.checkpointName = checkpointName
            self.handoff = handoff
        }
    }

    /// What the stage saves with each batch of panes.
    struct Checkpoint: Codable {
        var engine: WindowingEngine
        /// The id of the last message windowed (0: none).
        var lastMessageID: Int64
        /// The panes of the last batch, published again after a restart.
        var lastPanes: [Pane]
    }

    /// What one call did.
    public struct Progress: Equatable, Sendable {
        /// Messages read.
        public var pulled = 0
        /// Tweets windowed.
        public var windowed = 0
        /// Messages that could not be read (they are dead-lettered by the workers).
        public var unreadable = 0
        /// Messages left to read again because a prediction of theirs, or of one before them, is
        /// not stored yet.
        public var waiting = 0
        /// The panes fired, in order.
        public var panes: [Pane] = []
    }

    /// The wiring.
    public let wiring: Wiring
    /// Messages pulled at a time.
    public let batchSize: Int
    private var checkpoint: Checkpoint

    /// A stage on `wiring`. If the sink holds a checkpoint of this stage, it continues from
    /// there (and publishes the checkpoint's panes again); otherwise it starts `engine`.
    /// - Throws: `StreamingSetupError.windowSettingsChanged` when the checkpoint's windows,
    ///   trigger or watermark delay are not `engine`'s; the sink's or queue's error, or
    ///   `DecodingError` for a checkpoint it cannot read.
    public init(wiring: Wiring, engine: WindowingEngine, batchSize: Int = 500) throws {
        self.wiring = wiring
        self.batchSize = max(1, batchSize)
        if let saved = try Self.savedCheckpoint(in: wiring.sink, named: wiring.checkpointName, for: engine) {
            checkpoint = saved
            try publish(checkpoint.lastPanes)
        } else {
            checkpoint = Checkpoint(engine: engine, lastMessageID: 0, lastPanes: [])
        }
        wiring.handoff?.windowed([], through: checkpoint.lastMessageID)
    }

    /// Checks that a stage with `engine`'s settings can continue what `sink` holds: its
    /// checkpoint, if any, was made with the same windows, trigger and watermark delay (its
    /// open windows and fired panes are theirs).
    /// - Throws: as `init(wiring:engine:batchSize:)`.
    public static func checkResumable(sink: any TableSink, checkpointName: String = "window-stage", engine: WindowingEngine) throws {
        _ = try savedCheckpoint(in: sink, named: checkpointName, for: engine)
    }

    private static func savedCheckpoint(in sink: any TableSink, named name: String, for engine: WindowingEngine) throws -> Checkpoint? {
        guard let data = try sink.checkpoint(name) else { return nil }
        let saved = try JSONDecoder().decode(Checkpoint.self, from: data)
        let changes = StreamingSetupError.windowSettingsChanges(from: saved.engine, to: engine)
        guard changes.isEmpty else { throw StreamingSetupError.windowSettingsChanged(changes) }
        return saved
    }

    /// The watermark: the latest event time seen minus the engine's delay, or as moved.
    public var watermark: Instant? { checkpoint.engine.watermark }

    /// Late tweets dropped per key (beyond the allowed lateness).
    public var droppedLate: [String: Int] { checkpoint.engine.droppedLate }

    /// Windows one batch of the subscription, at processing time `now`. Nothing was done when
    /// every message read has to wait (`pulled == waiting`).
    public func processBatch(now: Instant) throws -> Progress {
        let messages = try wiring.queue.read(wiring.subscription, after: checkpoint.lastMessageID, maxMessages: batchSize)
        var progress = Progress()
        progress.pulled = messages.count
        guard !messages.isEmpty else { return progress }
        var engine = checkpoint.engine
        var panes = engine.advanceProcessingTime(to: now)
        let tweets = messages.map { try? StreamedTweet(line: $0.data) }
        let stored = try predictions(of: messages, tweets: tweets)
        let previous = checkpoint.lastMessageID
        var lastWindowed = previous
        for (message, tweet) in zip(messages, tweets) {
            guard let tweet else {
                progress.unreadable += 1
                lastWindowed = message.messageID
                continue
            }
            guard let prediction = stored[message.messageID] else { break }
            for tag in tweet.tags {
                panes += engine.add(WindowedElement(key: tag, eventTime: tweet.createdAt, label: prediction.label,
                                                    score: prediction.score, id: tweet.id), processingTime: now)
            }
            progress.windowed += 1
            lastWindowed = message.messageID
        }
        progress.waiting = messages.count - progress.windowed - progress.unreadable
        progress.panes = panes
        try commit(engine: engine, lastMessageID: lastWindowed, panes: panes, windowing: messages.map(\.messageID))
        if lastWindowed > previous { try wiring.queue.commit(wiring.subscription, through: lastWindowed) }
        return progress
    }

    /// The stored prediction of each readable tweet of `messages`, by message id: from the
    /// handoff, else read from the sink (a value the stage cannot read counts as not stored).
    private func predictions(of messages: [ReceivedMessage], tweets: [StreamedTweet?]) throws -> [Int64: StoredPrediction] {
        var found = wiring.handoff?.predictions(for: messages.map(\.messageID)) ?? [:]
        let missing = zip(messages, tweets).compactMap { message, tweet in
            found[message.messageID] == nil ? tweet.map { (message.messageID, $0.id) } : nil
        }
        guard !missing.isEmpty else { return found }
        let values = try wiring.sink.values(table: StreamPrediction.table, keys: missing.map(\.1))
        for (messageID, tweetID) in missing {
            if let value = values[tweetID], let prediction = StoredPrediction(value) { found[messageID] = prediction }
        }
        return found
    }

    /// Moves the watermark to `instant` (as Beam's TestStream does), firing what is due.
    public func advanceWatermark(to instant: Instant) throws -> [Pane] {
        var engine = checkpoint.engine
        let panes = engine.advanceWatermark(to: instant)
        try commit(engine: engine, lastMessageID: checkpoint.lastMessageID, panes: panes)
        return panes
    }

    /// Ends a bounded stream: fires every remaining window.
    public func finish() throws -> [Pane] {
        var engine = checkpoint.engine
        let panes = engine.finish()
        try commit(engine: engine, lastMessageID: checkpoint.lastMessageID, panes: panes)
        return panes
    }

    /// Saves the panes with the engine's state in one sink transaction, tells the handoff what
    /// is windowed now (of `messageIDs`, those through `lastMessageID`), then publishes the panes.
    private func commit(engine: WindowingEngine, lastMessageID: Int64, panes: [Pane], windowing messageIDs: [Int64] = []) throws {
        let next = Checkpoint(engine: engine, lastMessageID: lastMessageID, lastPanes: panes)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try wiring.sink.write(panes.map { SinkRow(table: Self.table, key: $0.sinkKey, value: Data($0.json.canonicalText.utf8)) },
                              checkpoint: SinkCheckpoint(name: wiring.checkpointName, value: try encoder.encode(next)))
        checkpoint = next
        wiring.handoff?.windowed(messageIDs, through: lastMessageID)
        try publish(panes)
    }

    private func publish(_ panes: [Pane]) throws {
        guard !panes.isEmpty else { return }
        try wiring.queue.publish(panes.map {
            OutgoingMessage(data: Data($0.json.canonicalText.utf8), attributes: ["timing": $0.timing.rawValue, "key": $0.key],
                            deduplicationID: $0.sinkKey)
        }, to: wiring.panesTopic)
    }
}

extension Pane {
    /// The pane's key in the sink's `panes` table: `<key>/<window>/<start>/<index>`, so panes
    /// list by key, window, start time and firing.
    public var sinkKey: String {
        "\(key)/\(window)/\(windowStart.iso8601)/\(String(repeating: "0", count: max(0, 6 - String(index).count)))\(index)"
    }

    /// The pane as canonical JSON, as stored and published.
    public var json: JSONValue {
        .object([
            "key": .string(key), "window": .string(window),
            "window_start": .string(windowStart.iso8601), "window_end": .string(windowEnd.iso8601),
            "timing": .string(timing.rawValue), "index": .integer(index), "non_speculative_index": .integer(nonSpeculativeIndex),
            "is_first": .bool(isFirst), "is_last": .bool(isLast), "count": .integer(count),
            "counts": .object(counts.mapValues { .integer($0) }), "mean_score": .number(meanScore),
        ])
    }
}

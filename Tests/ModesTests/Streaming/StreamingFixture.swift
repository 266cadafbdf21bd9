import Foundation
import JSON
import LocalCloud
import Modes
import ModelCore

/// A sandbox for the streaming pipeline's tests: a registry with `sentiment@production`, a
/// queue with the `tweets` topic, a `workers` subscription and a `dead-letters` topic, and a
/// table sink, all in one temporary folder.
final class StreamingFixture {
    let store: StoreFixture
    let queue: SQLiteMessageQueue
    let sink: SQLiteTableSink
    let registry: ModelRegistry
    let models: [TrainedModel]

    /// Two models, trained once per test process (training is slow in a debug build).
    private static let sharedModels = Result { [try TinyData.model(seed: 1), try TinyData.model(seed: 2)] }

    init() throws {
        store = try StoreFixture()
        queue = try SQLiteMessageQueue(path: store.root.path + "/queue.sqlite", clock: store.clock)
        sink = try SQLiteTableSink(path: store.root.path + "/sink.sqlite")
        registry = ModelRegistry(store: store.store, bucket: "data")
        models = try Self.sharedModels.get()
        for model in models { try registry.register(model, name: "sentiment") }
        try registry.setAlias("production", name: "sentiment", version: 1)
        try queue.createTopic("tweets")
        try queue.createTopic("dead-letters")
        try queue.createTopic("sentiment-windows")
        try queue.createSubscription("workers", topic: "tweets", options: SubscriptionOptions(ackDeadline: .seconds(30)))
        try queue.createSubscription("dead-letter-reader", topic: "dead-letters")
    }

    var clock: VirtualClock { store.clock }

    func worker(batchSize: Int = 10, maxDeliveryAttempts: Int = 3, handoff: PredictionHandoff? = nil) throws -> PredictionWorker {
        PredictionWorker(
            wiring: .init(queue: queue, subscription: "workers", deadLetterTopic: "dead-letters",
                          maxDeliveryAttempts: maxDeliveryAttempts, sink: sink, handoff: handoff),
            model: try StreamModel(registry: registry, name: "sentiment", aliasOrVersion: "production"),
            batchSize: batchSize)
    }

    /// A v2 stream line for a tweet.
    static func line(id: String, text: String, createdAt: String = "2026-03-01T10:00:00.000Z", tags: [String] = ["all"]) -> Data {
        let value: JSONValue = [
            "data": ["id": .string(id), "text": .string(text), "created_at": .string(createdAt), "lang": "en", "author_id": "42"],
            "matching_rules": .array(tags.map { ["id": "1", "tag": .string($0)] }),
        ]
        return Data(value.canonicalText.utf8)
    }

    /// Publishes lines as the ingest connector does (keyed by tweet id).
    func publish(_ lines: [Data]) throws {
        try queue.publish(lines.map { OutgoingMessage(data: $0, orderingKey: nil, deduplicationID: nil) }, to: "tweets")
    }

    /// Runs `worker` until the subscription has nothing available.
    func drain(_ worker: PredictionWorker) throws -> PredictionWorker.BatchOutcome {
        var total = PredictionWorker.BatchOutcome()
        while true {
            let outcome = try worker.processBatch()
            if outcome.pulled == 0 { return total }
            total.add(outcome)
        }
    }

    /// The stored prediction rows as parsed JSON objects, by tweet id.
    func storedPredictions() throws -> [String: [String: JSONValue]] {
        var result: [String: [String: JSONValue]] = [:]
        for row in try sink.allRows(table: StreamPrediction.table) {
            guard case .object(let object) = try JSONParser.parse(String(decoding: row.value, as: UTF8.self)) else { continue }
            result[row.key] = object
        }
        return result
    }
}

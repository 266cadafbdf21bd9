import Foundation
import JSON
import LocalCloud
import Modes
import ModelCore
import Testing

@Suite("Streaming workers")
struct PredictionWorkerTests {
    @Test("a worker stores each tweet's prediction, the same bits as the model core gives, then acks")
    func storesPredictions() throws {
        let fixture = try StreamingFixture()
        let texts = TinyData.examples(count: 25, seed: 9).map(\.text)
        try fixture.publish(texts.enumerated().map { StreamingFixture.line(id: "\(100 + $0.offset)", text: $0.element, tags: ["b", "a", "b"]) })
        let outcome = try fixture.drain(try fixture.worker(batchSize: 10))
        #expect(outcome.pulled == 25 && outcome.stored == 25 && outcome.deadLettered == 0)
        #expect(try fixture.queue.subscriptions().first { $0.name == "workers" }?.backlog == 0)
        let stored = try fixture.storedPredictions()
        #expect(stored.count == 25)
        for (offset, text) in texts.enumerated() {
            let expected = fixture.models[0].predict(text)
            let row = try #require(stored["\(100 + offset)"])
            #expect(row["label"] == .string(expected.label))
            #expect(row["score"] == .number(expected.score))
            #expect(row["model_id"] == .string(expected.modelID))
            #expect(row["tags"] == ["b", "a"])
            for (label, probability) in zip(expected.labels, expected.probabilities) {
                guard case .object(let probabilities)? = row["probabilities"] else { Issue.record("no probabilities"); continue }
                #expect(probabilities[label] == .number(probability))
            }
        }
    }

    @Test("a batch delivered again after its lease ran out leaves the sink as one delivery would")
    func redeliveryIsIdempotent() throws {
        let fixture = try StreamingFixture()
        try fixture.publish((0..<6).map { StreamingFixture.line(id: "\($0)", text: "good day \($0)") })
        // A worker that wrote but died before acking: its lease ends and the batch comes back.
        let pulled = try fixture.queue.pull("workers", maxMessages: 6)
        var workspace = PredictionWorkspace()
        let rows = try pulled.map { StreamPrediction(tweet: try StreamedTweet(line: $0.data),
                                                     prediction: fixture.models[0].predict(try StreamedTweet(line: $0.data).text, workspace: &workspace)).row }
        try fixture.sink.write(rows)
        let before = try fixture.sink.allRows(table: StreamPrediction.table)
        fixture.clock.advance(by: .seconds(31))
        let outcome = try fixture.drain(try fixture.worker())
        #expect(outcome.pulled == 6 && outcome.stored == 0 && outcome.alreadyStored == 6)
        #expect(try fixture.sink.allRows(table: StreamPrediction.table) == before)
    }

    @Test("poison messages are retried, then dead-lettered with their reason after the last attempt")
    func poisonGoesToDeadLetters() throws {
        let fixture = try StreamingFixture()
        let poison = [Data("{not json".utf8), Data(#"{"data":{"id":"7"}}"#.utf8), Data(#"{"data":{"text":"no id","created_at":"2026-03-01T10:00:00Z"}}"#.utf8),
                      Data(#"{"data":{"id":"8","text":"t","created_at":"yesterday"}}"#.utf8)]
        try fixture.publish([StreamingFixture.line(id: "1", text: "good")] + poison)
        // A nacked message is available again at once: one drain sees all three attempts.
        let outcome = try fixture.drain(try fixture.worker(maxDeliveryAttempts: 3))
        #expect(outcome.pulled == 5 + 4 + 4)
        #expect(outcome.retried == 8 && outcome.deadLettered == 4 && outcome.stored == 1)
        let letters = try fixture.queue.pull("dead-letter-reader", maxMessages: 10)
        #expect(letters.map(\.data) == poison)
        let reasons = letters.map { $0.attributes["reason"] ?? "" }
        #expect(reasons.first?.hasPrefix("not JSON: ") == true)
        #expect(reasons.dropFirst() == ["missing data.text (a string)", "missing data.id (a string)",
                                        "data.created_at should be an ISO-8601 time"])
        #expect(letters.allSatisfy { $0.attributes["delivery_attempts"] == "3" })
        #expect(try fixture.storedPredictions().keys.sorted() == ["1"])
        #expect(try fixture.queue.subscriptions().first { $0.name == "workers" }?.backlog == 0)
    }

    @Test("when the alias moves, the next batch is predicted by the new version; a corrupt version is refused")
    func followsTheAlias() throws {
        let fixture = try StreamingFixture()
        let worker = try fixture.worker()
        try fixture.publish([StreamingFixture.line(id: "1", text: "good day")])
        _ = try fixture.drain(worker)
        try fixture.registry.setAlias("production", name: "sentiment", version: 2)
        try fixture.publish([StreamingFixture.line(id: "2", text: "good day")])
        _ = try fixture.drain(worker)
        try fixture.store.store.put(Data("not a model".utf8), bucket: "data", key: ModelRegistry.artifactKey("sentiment", 3))
        try fixture.registry.setAlias("production", name: "sentiment", version: 3)
        try fixture.publish([StreamingFixture.line(id: "3", text: "good day")])
        _ = try fixture.drain(worker)
        let stored = try fixture.storedPredictions()
        #expect(stored["1"]?["model_id"] == .string(fixture.models[0].modelID))
        #expect(stored["2"]?["model_id"] == .string(fixture.models[1].modelID))
        #expect(stored["3"]?["model_id"] == .string(fixture.models[1].modelID))
        #expect(worker.model.lastError?.contains("model.rmodel") == true)
    }
}

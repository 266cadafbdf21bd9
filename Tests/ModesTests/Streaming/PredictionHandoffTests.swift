import Foundation
import LocalCloud
import Modes
import ModelCore
import Testing

@Suite("Prediction handoff")
struct PredictionHandoffTests {
    /// A sink that counts the stage's reads of stored predictions.
    final class CountingSink: TableSink, @unchecked Sendable {
        let inner: any TableSink
        private(set) var valuesRead = 0

        init(_ inner: any TableSink) { self.inner = inner }

        func write(_ rows: [SinkRow], checkpoint: SinkCheckpoint?) throws -> SinkWriteResult { try inner.write(rows, checkpoint: checkpoint) }
        func value(table: String, key: String) throws -> Data? { try inner.value(table: table, key: key) }
        func values(table: String, keys: [String]) throws -> [String: Data] {
            valuesRead += keys.count
            return try inner.values(table: table, keys: keys)
        }
        func rows(table: String, after key: String?, limit: Int) throws -> [SinkRow] { try inner.rows(table: table, after: key, limit: limit) }
        func count(table: String) throws -> Int { try inner.count(table: table) }
        func checkpoint(_ name: String) throws -> Data? { try inner.checkpoint(name) }
    }

    private func prepared(_ count: Int) throws -> StreamingFixture {
        let fixture = try StreamingFixture()
        try fixture.queue.createSubscription("windows", topic: "tweets", options: .init(delivery: .inOrder))
        try fixture.publish(WindowStageTests.lines(count))
        return fixture
    }

    private func panes(of fixture: StreamingFixture, sink: any TableSink, handoff: PredictionHandoff?) throws -> [Pane] {
        let stage = try WindowStage(wiring: .init(queue: fixture.queue, subscription: "windows", panesTopic: "sentiment-windows",
                                                  sink: sink, handoff: handoff),
                                    engine: try WindowStageTests.engine(), batchSize: 7)
        var panes: [Pane] = []
        while true {
            let progress = try stage.processBatch(now: fixture.clock.now)
            panes += progress.panes
            if progress.pulled == progress.waiting { return panes + (try stage.finish()) }
        }
    }

    @Test("what a worker offers is what the stage would read from the sink, and the stage's panes are the same without a sink read")
    func offeredPredictionsAreTheStoredOnes() throws {
        let handed = try prepared(40)
        let handoff = PredictionHandoff()
        _ = try handed.drain(try handed.worker(batchSize: 9, handoff: handoff))
        let messages = try handed.queue.read("windows", after: 0, maxMessages: 100)
        #expect(messages.count == 40)
        let offered = handoff.predictions(for: messages.map(\.messageID))
        #expect(offered.count == 40)
        for message in messages {
            let tweet = try StreamedTweet(line: message.data)
            let stored = try #require(try handed.sink.value(table: StreamPrediction.table, key: tweet.id))
            #expect(offered[message.messageID] == StoredPrediction(stored), "tweet \(tweet.id)")
        }

        let counting = CountingSink(handed.sink)
        let fromHandoff = try panes(of: handed, sink: counting, handoff: handoff)
        #expect(counting.valuesRead == 0)
        #expect(handoff.count == 0, "every entry is dropped once windowed")

        let read = try prepared(40)
        _ = try read.drain(try read.worker(batchSize: 9))
        let fromSink = try panes(of: read, sink: read.sink, handoff: nil)
        #expect(!fromSink.isEmpty)
        #expect(fromHandoff == fromSink)
    }

    @Test("a batch with a row stored before is not offered: the stage reads the sink's value, the first write's")
    func aBatchWithAStoredRowIsNotOffered() throws {
        let fixture = try prepared(6)
        let tweet = try StreamedTweet(line: WindowStageTests.lines(6)[2])
        // Another model's prediction of the third tweet was stored first.
        var workspace = PredictionWorkspace()
        let earlier = StreamPrediction(tweet: tweet, prediction: fixture.models[1].predict(tweet.text, workspace: &workspace))
        try fixture.sink.write([earlier.row])
        let handoff = PredictionHandoff()
        let outcome = try fixture.drain(try fixture.worker(batchSize: 10, handoff: handoff))
        #expect(outcome.stored == 5 && outcome.alreadyStored == 1)
        #expect(handoff.count == 0)
        let counting = CountingSink(fixture.sink)
        _ = try panes(of: fixture, sink: counting, handoff: handoff)
        #expect(counting.valuesRead == 6)
    }

    @Test("entries of messages the stage never reads are swept once the handoff is full, and it takes offers again")
    func unreadEntriesAreSwept() throws {
        let fixture = try StreamingFixture()
        let lines = WindowStageTests.lines(15)
        // Five tweets come before the stage's subscription, so it never reads them.
        try fixture.publish(Array(lines[..<5]))
        try fixture.queue.createSubscription("windows", topic: "tweets", options: .init(delivery: .inOrder))
        try fixture.publish(Array(lines[5..<10]))
        let handoff = PredictionHandoff(capacity: 8)
        let counting = CountingSink(fixture.sink)
        let stage = try WindowStage(wiring: .init(queue: fixture.queue, subscription: "windows", panesTopic: "sentiment-windows",
                                                  sink: counting, handoff: handoff),
                                    engine: try WindowStageTests.engine(), batchSize: 20)
        _ = try fixture.drain(try fixture.worker(batchSize: 10, handoff: handoff))
        #expect(handoff.count == 8, "ten offered, eight held")
        _ = try stage.processBatch(now: fixture.clock.now)
        #expect(counting.valuesRead == 2)
        #expect(handoff.count == 5, "the five the stage never read")

        try fixture.publish(Array(lines[10...]))
        _ = try fixture.drain(try fixture.worker(batchSize: 10, handoff: handoff))
        #expect(handoff.count == 5, "the unread five swept, the new five held")
        _ = try stage.processBatch(now: fixture.clock.now)
        #expect(counting.valuesRead == 2, "the new five came from the handoff")
        #expect(handoff.count == 0)
    }

    @Test("a batch whose panes cannot be published after its checkpoint is saved leaves no entry behind")
    func aFailedPublishLeavesNoEntry() throws {
        let fixture = try prepared(10)
        let handoff = PredictionHandoff()
        _ = try fixture.drain(try fixture.worker(batchSize: 10, handoff: handoff))
        #expect(handoff.count == 10)
        let failing = try SQLiteMessageQueue(path: fixture.store.root.path + "/queue.sqlite", clock: fixture.clock,
                                             faults: FaultPlan(seed: 1, rates: [.publishFailure: 1]))
        let stage = try WindowStage(wiring: .init(queue: failing, subscription: "windows", panesTopic: "sentiment-windows",
                                                  sink: fixture.sink, handoff: handoff),
                                    engine: try WindowStageTests.engine(), batchSize: 10)
        #expect(throws: MessageQueueError.self) { try stage.processBatch(now: fixture.clock.now) }
        #expect(try fixture.sink.checkpoint("window-stage") != nil, "the checkpoint was saved before the publish failed")
        #expect(handoff.count == 0)
    }

    @Test("offers for messages the stage has passed, beyond the capacity, or with a score JSON cannot carry exactly are ignored")
    func ignoredOffers() {
        let handoff = PredictionHandoff(capacity: 3)
        let positive = StoredPrediction(label: "positive", score: 0.75)
        handoff.windowed([1, 2], through: 2)
        // The stage read message 2 from the sink before its worker offered it.
        handoff.offer([(2, positive), (3, positive)])
        #expect(handoff.predictions(for: [2, 3]) == [3: positive])
        handoff.offer([(4, positive), (5, positive), (6, positive)])
        #expect(handoff.count == 3)
        #expect(handoff.predictions(for: [6]).isEmpty)
        handoff.windowed([3, 4, 5], through: 4)
        #expect(handoff.predictions(for: [3, 4, 5]) == [5: positive], "only what was windowed is dropped")
        handoff.offer([(7, StoredPrediction(label: "neutral", score: -0.0)), (8, StoredPrediction(label: "neutral", score: .nan)),
                       (9, StoredPrediction(label: "neutral", score: .infinity)), (10, StoredPrediction(label: "neutral", score: 0))])
        #expect(Set(handoff.predictions(for: [7, 8, 9, 10]).keys) == [10])
    }
}

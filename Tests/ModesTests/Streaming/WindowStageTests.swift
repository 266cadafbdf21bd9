import Foundation
import JSON
import LocalCloud
import Modes
import ModelCore
import Testing

@Suite("Windowing stage")
struct WindowStageTests {
    /// Tweets a minute apart in event time, some out of order, with two tags.
    static func lines(_ count: Int) -> [Data] {
        (0..<count).map { index in
            let second = index * 20 + (index % 5 == 3 ? -45 : 0)   // every fifth arrives 45 s late
            let created = Instant(iso8601: "2026-03-01T10:00:00Z")!.advanced(by: .seconds(second))
            return StreamingFixture.line(id: String(format: "%04d", index), text: TinyData.examples(count: 1, seed: UInt64(index))[0].text,
                                         createdAt: created.iso8601, tags: index.isMultiple(of: 2) ? ["even", "all"] : ["all"])
        }
    }

    private func stage(_ fixture: StreamingFixture, subscription: String = "windows", batchSize: Int = 7) throws -> WindowStage {
        try WindowStage(wiring: .init(queue: fixture.queue, subscription: subscription, panesTopic: "sentiment-windows", sink: fixture.sink),
                        engine: try Self.engine(), batchSize: batchSize)
    }

    static func engine() throws -> WindowingEngine {
        try WindowingEngine(windows: [.tumbling(size: .seconds(60)), .sliding(size: .seconds(180), period: .seconds(60))],
                            trigger: TriggerSpec(allowedLateness: .seconds(60), accumulation: .accumulating),
                            watermarkDelay: .seconds(10))
    }

    private func prepared(_ count: Int) throws -> (StreamingFixture, [Data]) {
        let fixture = try StreamingFixture()
        // A second reader of the same tweets: as the first would be with every commit lost.
        for reader in ["windows", "windows-uncommitted"] {
            try fixture.queue.createSubscription(reader, topic: "tweets", options: .init(delivery: .inOrder))
        }
        try fixture.queue.createSubscription("panes-reader", topic: "sentiment-windows")
        let lines = Self.lines(count)
        try fixture.publish(lines)
        return (fixture, lines)
    }

    /// The panes an engine gives when fed the stored predictions in stream order, then finished.
    private func expectedPanes(_ fixture: StreamingFixture, _ lines: [Data]) throws -> [Pane] {
        var engine = try Self.engine()
        var panes: [Pane] = []
        let stored = try fixture.storedPredictions()
        for line in lines {
            let tweet = try StreamedTweet(line: line)
            guard case .string(let label)? = stored[tweet.id]?["label"], case .number(let score)? = stored[tweet.id]?["score"] else {
                Issue.record("no prediction for \(tweet.id)")
                continue
            }
            for tag in tweet.tags {
                panes += engine.add(WindowedElement(key: tag, eventTime: tweet.createdAt, label: label, score: score, id: tweet.id),
                                    processingTime: fixture.clock.now)
            }
        }
        return panes + engine.finish()
    }

    private func run(_ stage: WindowStage, now: Instant) throws -> [Pane] {
        var panes: [Pane] = []
        while true {
            let progress = try stage.processBatch(now: now)
            panes += progress.panes
            if progress.pulled == progress.waiting { return panes }
        }
    }

    @Test("panes come from the stored predictions in stream order, to the sink and the topic alike")
    func windowsInStreamOrder() throws {
        let (fixture, lines) = try prepared(40)
        _ = try fixture.drain(try fixture.worker(batchSize: 9))
        let stage = try stage(fixture)
        let panes = try run(stage, now: fixture.clock.now) + (try stage.finish())
        #expect(panes == (try expectedPanes(fixture, lines)))
        #expect(panes.contains { $0.timing == .late })
        let rows = try fixture.sink.allRows(table: WindowStage.table)
        #expect(rows.count == panes.count)
        #expect(Set(rows.map(\.value)) == Set(panes.map { Data($0.json.canonicalText.utf8) }))
        let published = try fixture.queue.pull("panes-reader", maxMessages: 1000)
        #expect(published.map(\.data) == panes.map { Data($0.json.canonicalText.utf8) })
    }

    @Test("a tweet whose prediction is not stored yet holds back the ones after it")
    func waitsForPredictions() throws {
        let (fixture, lines) = try prepared(12)
        // Predictions for every tweet but the sixth.
        var workspace = PredictionWorkspace()
        let model = fixture.models[0]
        let rows = try lines.enumerated().filter { $0.offset != 5 }.map {
            let tweet = try StreamedTweet(line: $0.element)
            return StreamPrediction(tweet: tweet, prediction: model.predict(tweet.text, workspace: &workspace)).row
        }
        try fixture.sink.write(rows)
        let stage = try stage(fixture, batchSize: 100)
        let first = try stage.processBatch(now: fixture.clock.now)
        #expect(first.windowed == 5 && first.waiting == 7)
        let stuck = try stage.processBatch(now: fixture.clock.now)
        #expect(stuck.windowed == 0 && stuck.pulled == stuck.waiting)
        // What it has windowed is committed; what waits is not.
        #expect(try fixture.queue.subscriptions().first { $0.name == "windows" }?.backlog == 7)
        _ = try fixture.drain(try fixture.worker())
        let second = try stage.processBatch(now: fixture.clock.now)
        #expect(second.windowed == 7 && second.waiting == 0)
    }

    @Test("a stage restarted from its checkpoint, with every commit lost, ends as an uninterrupted one")
    func restartGivesIdenticalPanes() throws {
        let (uninterrupted, _) = try prepared(40)
        _ = try uninterrupted.drain(try uninterrupted.worker())
        let whole = try stage(uninterrupted)
        _ = try run(whole, now: uninterrupted.clock.now)
        _ = try whole.finish()

        let (interrupted, _) = try prepared(40)
        _ = try interrupted.drain(try interrupted.worker())
        let first = try stage(interrupted)
        for _ in 0..<3 { _ = try first.processBatch(now: interrupted.clock.now) }
        // The stage dies and a new one takes over from the sink's checkpoint, on a subscription
        // that never saw a commit: it reads after the checkpoint's last message all the same.
        let second = try stage(interrupted, subscription: "windows-uncommitted")
        _ = try run(second, now: interrupted.clock.now)
        _ = try second.finish()

        #expect(try interrupted.sink.allRows(table: WindowStage.table) == (try uninterrupted.sink.allRows(table: WindowStage.table)))
        let publishedWhole = try uninterrupted.queue.pull("panes-reader", maxMessages: 1000).map(\.data)
        let publishedInterrupted = try interrupted.queue.pull("panes-reader", maxMessages: 1000).map(\.data)
        #expect(publishedInterrupted == publishedWhole)
    }

    @Test("a stage given other windows, trigger or watermark delay than its checkpoint's is refused, naming each change")
    func otherSettingsThanTheCheckpointsAreRefused() throws {
        let (fixture, _) = try prepared(10)
        _ = try fixture.drain(try fixture.worker())
        _ = try run(try stage(fixture), now: fixture.clock.now)
        let wiring = WindowStage.Wiring(queue: fixture.queue, subscription: "windows", panesTopic: "sentiment-windows", sink: fixture.sink)
        let checkpointBefore = try fixture.sink.checkpoint("window-stage")
        let other = try WindowingEngine(windows: [.tumbling(size: .seconds(120)), .sliding(size: .seconds(180), period: .seconds(60))],
                                        trigger: TriggerSpec(allowedLateness: .seconds(60), early: .everyCount(5), accumulation: .discarding),
                                        watermarkDelay: .seconds(10))
        let expected = StreamingSetupError.windowSettingsChanged([
            "windows: tumbling-1m, sliding-3m-every-1m → tumbling-2m, sliding-3m-every-1m", "early firings: none → every 5 tweets",
            "accumulation: accumulating → discarding",
        ])
        #expect(throws: expected) { try WindowStage(wiring: wiring, engine: other) }
        #expect(throws: expected) { try WindowStage.checkResumable(sink: fixture.sink, engine: other) }
        #expect(try fixture.sink.checkpoint("window-stage") == checkpointBefore)
        try WindowStage.checkResumable(sink: fixture.sink, engine: try Self.engine())
        _ = try WindowStage(wiring: wiring, engine: try Self.engine())
    }
}

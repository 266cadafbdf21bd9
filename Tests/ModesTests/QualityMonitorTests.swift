import Determinism
import Foundation
import JSON
import LocalCloud
import Modes
import ModelCore
import Testing

@Suite struct QualityMonitorTests {
    static let labels = ["negative", "neutral", "positive"]

    private func monitor(_ fixture: QueueFixture, _ settings: QualityMonitor.Settings) throws -> QualityMonitor {
        try QualityMonitor(settings: settings, queue: fixture.queue, topic: fixture.topic, clock: fixture.clock)
    }

    /// Predictions `r<first>`… of `version`, each predicted `label`, remembered with a baseline.
    private func remember(_ monitor: QualityMonitor, _ numbers: Range<Int>, version: Int = 1, label: String = "positive",
                          baseline: Double? = 0.8) {
        monitor.remember(numbers.map { sampleRecord($0, request: "v\(version)-\($0)", version: version, label: label) },
                         labels: Self.labels, baselineAccuracy: baseline)
    }

    private func truths(_ numbers: Range<Int>, version: Int = 1, label: String) -> [FeedbackItem] {
        numbers.map { FeedbackItem(requestID: "v\(version)-\($0)", label: label) }
    }

    @Test func feedbackIsJoinedByRequestIDAndIndexAndReportsWhatItCannotJoin() throws {
        let fixture = try QueueFixture(topic: "model-quality")
        let monitor = try monitor(fixture, .init())
        monitor.remember([sampleRecord(1, request: "r1", index: 0, label: "positive"),
                          sampleRecord(2, request: "r1", index: 1, label: "negative"),
                          sampleRecord(3, request: "r2", label: "neutral")],
                         labels: Self.labels, baselineAccuracy: 0.7)
        let outcome = monitor.feedback([
            FeedbackItem(requestID: "r1", index: 0, label: "positive"),   // right
            FeedbackItem(requestID: "r1", index: 1, label: "neutral"),    // wrong
            FeedbackItem(requestID: "r9", label: "positive"),             // no such request
            FeedbackItem(requestID: "r2", index: 5, label: "positive"),   // no such index
            FeedbackItem(requestID: "r2", label: ""),                     // no label at all
            FeedbackItem(requestID: "r2", label: "happy"),                // a class the model lacks: a miss
            FeedbackItem(requestID: "r1", index: 0, label: "negative"),   // labelled already
        ])
        #expect(outcome.accepted == 3)
        #expect(outcome.labelsOutsideModel == ["happy"])
        #expect(outcome.publishError == nil)
        #expect(outcome.unmatched == [
            UnmatchedFeedback(requestID: "r9", index: 0, reason: .unknownPrediction),
            UnmatchedFeedback(requestID: "r2", index: 5, reason: .unknownPrediction),
            UnmatchedFeedback(requestID: "r2", index: 0, reason: .unknownLabel("", expected: Self.labels)),
            UnmatchedFeedback(requestID: "r1", index: 0, reason: .alreadyLabelled),
        ])
        #expect(outcome.unmatched.map(\.jsonValue.canonicalText) == [
            #"{"id":"r9","index":0,"reason":"no prediction with this id and index is remembered"}"#,
            #"{"id":"r2","index":5,"reason":"no prediction with this id and index is remembered"}"#,
            #"{"id":"r2","index":0,"reason":"label \"\" is not one of the model's (negative, neutral, positive) and cannot be counted as a class it lacks (empty, over 64 bytes, or too many such labels already)"}"#,
            #"{"id":"r1","index":0,"reason":"this prediction already has a true label"}"#,
        ])
        let state = try #require(monitor.state(modelName: "sentiment", version: 1))
        #expect(state.labels == 3 && state.accuracy == 1.0 / 3)
        #expect(state.floor == 0.7 - 0.05)
        let macroF1 = ClassificationMetrics(truth: ["positive", "neutral", "happy"], predicted: ["positive", "negative", "neutral"],
                                            labels: Self.labels + ["happy"]).macroF1
        #expect(state.macroF1 == macroF1)
        #expect(state.jsonValue.canonicalText == """
            {"accuracy":\(CanonicalNumber.text(1.0 / 3)),"degradations":0,"degraded":false,"floor":\(CanonicalNumber.text(0.7 - 0.05)),"labels":3,\
            "macro_f1":\(CanonicalNumber.text(macroF1)),\
            "model":"sentiment","model_id":"model-v1","model_version":1,"window":500}
            """)
        #expect(monitor.state(modelName: "sentiment", version: 2) == nil)
        // The refused empty label did not use up r2; "happy" did.
        #expect(monitor.feedback([FeedbackItem(requestID: "r2", label: "neutral")]).unmatched.map(\.reason) == [.alreadyLabelled])
    }

    @Test func rollingMetricsEqualModelCoreMetricsOverTheLastWindow() throws {
        let fixture = try QueueFixture(topic: "model-quality")
        let window = 50
        let monitor = try monitor(fixture, .init(window: window, minimumLabels: 10))
        var random = SplitMix64(seed: 9)
        let count = 333
        let predicted = (0..<count).map { _ in Self.labels[random.nextIndex(below: 3)] }
        // Truth agrees with the prediction two times in three, otherwise a random label.
        let truth = predicted.map { random.nextIndex(below: 3) < 2 ? $0 : Self.labels[random.nextIndex(below: 3)] }
        monitor.remember((0..<count).map { sampleRecord($0, label: predicted[$0]) }, labels: Self.labels, baselineAccuracy: nil)
        var given = 0
        for chunk in [1, 9, 40, 1, 100, 182] {
            let items = (given..<(given + chunk)).map { FeedbackItem(requestID: "r\($0)", label: truth[$0]) }
            #expect(monitor.feedback(items).accepted == chunk)
            given += chunk
            let kept = max(0, given - window)..<given
            let expected = ClassificationMetrics(truth: Array(truth[kept]), predicted: Array(predicted[kept]), labels: Self.labels)
            let state = try #require(monitor.state(modelName: "sentiment", version: 1))
            #expect(state.labels == kept.count)
            #expect(state.accuracy == expected.accuracy)
            #expect(state.macroF1 == expected.macroF1)
            #expect(state.floor == nil && !state.degraded)  // no floor without a baseline
        }
        #expect(given == count)
    }

    @Test func degradationIsPublishedOnceAndAgainOnlyAfterRecovering() throws {
        let fixture = try QueueFixture(topic: "model-quality")
        let monitor = try monitor(fixture, .init(window: 20, minimumLabels: 10, floor: 0.75))
        remember(monitor, 0..<100)  // all predicted positive
        // 9 right: below the minimum of labels nothing is judged, however it goes.
        #expect(monitor.feedback(truths(0..<9, label: "positive")).accepted == 9)
        // 1 wrong: 9/10 = 0.9, above the floor.
        _ = monitor.feedback(truths(9..<10, label: "negative"))
        #expect(try fixture.drain().isEmpty)
        // 3 more wrong: 9/13 = 0.69 < 0.75: degraded; the wrong ones after it publish nothing more.
        fixture.clock.advance(by: .seconds(30))
        let degradedAt = fixture.clock.now
        _ = monitor.feedback(truths(10..<13, label: "negative"))
        fixture.clock.advance(by: .seconds(30))
        _ = monitor.feedback(truths(13..<16, label: "negative"))
        var state = try #require(monitor.state(modelName: "sentiment", version: 1))
        #expect(state.degraded && state.degradations == 1 && state.labels == 16)
        let first = ClassificationMetrics(truth: Array(repeating: "positive", count: 9) + Array(repeating: "negative", count: 3),
                                          predicted: Array(repeating: "positive", count: 12), labels: Self.labels)
        // Published at the first item that fell below: 12 labels, 9 right.
        #expect(first.accuracy == 0.75)
        let atFall = ClassificationMetrics(truth: Array(repeating: "positive", count: 9) + Array(repeating: "negative", count: 4),
                                           predicted: Array(repeating: "positive", count: 13), labels: Self.labels)
        #expect(try fixture.drain() == [
            #"{"event":"quality-degraded","floor":0.75,"labels":13,"macro_f1":\#(CanonicalNumber.text(atFall.macroF1)),"#
                + #""model":"sentiment","model_id":"model-v1","model_version":1,"#
                + #""rolling_accuracy":\#(CanonicalNumber.text(9.0 / 13.0)),"time":"\#(degradedAt.iso8601)","window":20}"#,
        ])
        // Right answers push the wrong ones out of the window: back at the floor, re-armed, no message.
        _ = monitor.feedback(truths(16..<36, label: "positive"))
        state = try #require(monitor.state(modelName: "sentiment", version: 1))
        #expect(!state.degraded && state.accuracy == 1 && state.labels == 20 && state.degradations == 1)
        #expect(try fixture.drain().isEmpty)
        // Falling again publishes a second message: 15/20 = 0.75 is not below, 14/20 is.
        _ = monitor.feedback(truths(36..<41, label: "neutral"))
        #expect(try fixture.drain().isEmpty)
        _ = monitor.feedback(truths(41..<42, label: "neutral"))
        let again = try fixture.drain()
        #expect(again.count == 1)
        #expect(again.first?.contains(#""labels":20,"#) == true)
        #expect(again.first?.contains(#""rolling_accuracy":0.7,"#) == true)
        #expect(monitor.state(modelName: "sentiment", version: 1)?.degradations == 2)
    }

    @Test func versionsAreJudgedSeparately() throws {
        let fixture = try QueueFixture(topic: "model-quality")
        let monitor = try monitor(fixture, .init(window: 30, minimumLabels: 20))
        remember(monitor, 0..<40, version: 2, baseline: 0.9)
        remember(monitor, 0..<40, version: 1, baseline: 0.6)
        // Version 1 is always right, version 2 right half of the time.
        _ = monitor.feedback(truths(0..<30, version: 1, label: "positive"))
        _ = monitor.feedback((0..<30).map { FeedbackItem(requestID: "v2-\($0)", label: $0 % 2 == 0 ? "positive" : "negative") })
        let states = monitor.states()
        #expect(states.map(\.modelVersion) == [1, 2])
        #expect(states.map(\.accuracy) == [1, 0.5])
        #expect(states.map(\.floor) == [0.6 - 0.05, 0.9 - 0.05])
        #expect(states.map(\.degraded) == [false, true])
        #expect(states.map(\.modelID) == ["model-v1", "model-v2"])
        let messages = try fixture.drain()
        #expect(messages.count == 1)
        #expect(messages.first?.contains(#""model_id":"model-v2","model_version":2,"#) == true)
        #expect(messages.first?.contains(#""labels":20,"#) == true)
    }

    @Test func aRepeatedRequestIDCountsForTheLatestPredictionAndTheOldestAreForgotten() throws {
        let fixture = try QueueFixture(topic: "model-quality")
        let monitor = try monitor(fixture, .init(window: 10, minimumLabels: 5, remembered: 5))
        monitor.remember([sampleRecord(1, request: "same", version: 1, label: "negative")], labels: Self.labels, baselineAccuracy: nil)
        monitor.remember([sampleRecord(1, request: "same", version: 2, label: "positive")], labels: Self.labels, baselineAccuracy: nil)
        #expect(monitor.feedback([FeedbackItem(requestID: "same", label: "positive")]).accepted == 1)
        #expect(monitor.state(modelName: "sentiment", version: 2)?.accuracy == 1)
        #expect(monitor.state(modelName: "sentiment", version: 1)?.labels == 0)
        // "same" was remembered twice: the stale entry counts towards the bound but forgets nothing newer.
        remember(monitor, 0..<4)
        #expect(monitor.feedback(truths(0..<4, label: "positive")).accepted == 4)
        remember(monitor, 4..<12)  // 5 remembered at most: 4…6 are forgotten, 7…11 kept
        let outcome = monitor.feedback(truths(4..<12, label: "positive"))
        #expect(outcome.accepted == 5)
        #expect(outcome.unmatched.map(\.requestID) == ["v1-4", "v1-5", "v1-6"])
    }

    @Test func theFloorComesFromTheModelsTestAccuracy() throws {
        let fixture = try QueueFixture(topic: "model-quality")
        let monitor = try monitor(fixture, .init(floorMargin: 0.1))
        // A small model (few buckets, so it trains fast), evaluated on held-out examples.
        let examples = TinyData.examples(count: 300, seed: 1)
        let parameters = TrainingParameters(algorithm: .naiveBayes, hashing: FeatureHashing(buckets: 1 << 12))
        let summary = TrainingDataSummary(examples: examples, source: "tiny")
        let trained = TrainedModel(metadata: ModelMetadata(parameters: parameters, trainingData: summary),
                                   classifier: try Trainer.train(examples, parameters: parameters))
        let held = TinyData.examples(count: 100, seed: 77)
        var workspace = PredictionWorkspace()
        let metrics = ClassificationMetrics(truth: held.map(\.label),
                                            predicted: held.map { trained.predict($0.text, workspace: &workspace).label },
                                            labels: trained.classifier.labels)
        let model = TrainedModel(metadata: ModelMetadata(parameters: parameters, trainingData: summary, metrics: metrics),
                                 classifier: trained.classifier)
        monitor.remember([sampleRecord(1)], labels: model.classifier.labels, metadata: model.metadata)
        #expect(monitor.state(modelName: "sentiment", version: 1)?.floor == metrics.accuracy - 0.1)
        let explicit = try self.monitor(fixture, .init(floor: 0.3))
        explicit.remember([sampleRecord(1)], labels: model.classifier.labels, metadata: model.metadata)
        #expect(explicit.state(modelName: "sentiment", version: 1)?.floor == 0.3)
        // A model without metrics has no floor (and so is never degraded).
        let bare = try self.monitor(fixture, .init())
        bare.remember([sampleRecord(1)], labels: trained.classifier.labels, metadata: trained.metadata)
        #expect(bare.state(modelName: "sentiment", version: 1)?.floor == nil)
    }

    @Test func aMessageThatCannotBePublishedIsKeptAndPublishedOnce() throws {
        let fixture = try QueueFixture(topic: "model-quality", createTopic: false)
        let monitor = try monitor(fixture, .init(window: 10, minimumLabels: 4, floor: 0.9))
        remember(monitor, 0..<20)
        let outcome = monitor.feedback(truths(0..<4, label: "negative"))
        #expect(outcome.accepted == 4)
        #expect(outcome.publishError == #"topic "model-quality" does not exist"#)
        #expect(monitor.state(modelName: "sentiment", version: 1)?.degraded == true)
        try fixture.createTopic()
        try monitor.flush()
        let messages = try fixture.drain()
        #expect(messages.count == 1 && messages.first?.contains(#""labels":4,"#) == true)
        #expect(monitor.feedback(truths(4..<6, label: "negative")).publishError == nil)
        try monitor.flush()
        #expect(try fixture.drain().isEmpty)
    }

    @Test(.timeLimit(.minutes(1))) func concurrentRememberAndFeedbackAddUp() async throws {
        let fixture = try QueueFixture(topic: "model-quality")
        let monitor = try monitor(fixture, .init(window: 10_000, minimumLabels: 100, floor: 0.5))
        let tasks = 8, perTask = 500
        let accepted = await withTaskGroup(of: Int.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var accepted = 0
                    for number in 0..<perTask {
                        let id = "t\(task)-\(number)"
                        monitor.remember([sampleRecord(number, request: id, version: 1 + task % 2)],
                                         labels: Self.labels, baselineAccuracy: nil)
                        // Version 1 is always right; version 2 wrong every third time.
                        let right = task % 2 == 0 || number % 3 != 0
                        accepted += monitor.feedback([FeedbackItem(requestID: id, label: right ? "positive" : "neutral")]).accepted
                    }
                    return accepted
                }
            }
            return await group.reduce(0, +)
        }
        #expect(accepted == tasks * perTask)
        let states = monitor.states()
        #expect(states.map(\.labels) == [tasks / 2 * perTask, tasks / 2 * perTask])
        #expect(states[0].accuracy == 1)
        let wrong = tasks / 2 * ((perTask + 2) / 3)
        #expect(states[1].accuracy == Double(tasks / 2 * perTask - wrong) / Double(tasks / 2 * perTask))
        #expect(states.map(\.degraded) == [false, false])
        #expect(try fixture.drain().isEmpty)
    }

    @Test func settingsOutOfRangeAreRefused() throws {
        let fixture = try QueueFixture(topic: "model-quality")
        let cases: [(QualityMonitor.Settings, String)] = [
            (.init(window: 0), "invalid window: must be at least 1, got 0"),
            (.init(window: 100, minimumLabels: 200), "invalid minimumLabels: must not exceed the window (100), got 200"),
            (.init(minimumLabels: 0), "invalid minimumLabels: must be at least 1, got 0"),
            (.init(floorMargin: -0.1), "invalid floorMargin: must be a number ≥ 0, got -0.1"),
            (.init(floor: 1.5), "invalid floor: must be between 0 and 1, got 1.5"),
            (.init(remembered: 0), "invalid remembered: must be at least 1, got 0"),
        ]
        for (settings, message) in cases {
            #expect(throws: MonitoringSettingsError.self) { try monitor(fixture, settings) }
            do { _ = try monitor(fixture, settings) } catch { #expect("\(error)" == message) }
        }
    }
}

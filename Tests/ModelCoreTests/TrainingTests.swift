import ModelCore
import Testing

@Suite("Training and predicting end to end on generated tweets")
struct TrainingTests {
    let train = SyntheticTweets.make(count: 600, seed: 1)
    let test = SyntheticTweets.make(count: 300, seed: 2)

    func model(_ algorithm: Algorithm, seed: UInt64 = 42) throws -> TrainedModel {
        let parameters = TrainingParameters(algorithm: algorithm, hashing: FeatureHashing(buckets: 1 << 12), seed: seed)
        let classifier = try Trainer.train(train, parameters: parameters)
        return TrainedModel(
            metadata: ModelMetadata(parameters: parameters, trainingData: TrainingDataSummary(examples: train, source: "synthetic")),
            classifier: classifier
        )
    }

    func macroF1(_ model: TrainedModel) -> Double {
        var workspace = PredictionWorkspace()
        let predicted = test.map { model.predict($0.text, workspace: &workspace).label }
        return ClassificationMetrics(truth: test.map(\.label), predicted: predicted).macroF1
    }

    @Test("both algorithms learn the word lists", arguments: Algorithm.allCases)
    func learns(algorithm: Algorithm) throws {
        #expect(macroF1(try model(algorithm)) > 0.9)
    }

    @Test("same data and seed give the same model id; another seed gives another", arguments: Algorithm.allCases)
    func deterministic(algorithm: Algorithm) throws {
        let first = try model(algorithm)
        let second = try model(algorithm)
        #expect(first.modelID == second.modelID)
        #expect(first.artifactBytes == second.artifactBytes)
        if algorithm == .logisticRegression {
            #expect(try model(algorithm, seed: 7).modelID != first.modelID)
        }
    }

    @Test("a prediction has sorted labels, probabilities summing to 1, a score in [-1, 1] and the model id")
    func predictionShape() throws {
        let model = try model(.logisticRegression)
        for text in ["I love this, awesome!", "", "   \t ", String(repeating: "hate ", count: 200_000), "\u{FFFD}\u{FFFD}"] {
            let prediction = model.predict(text)
            #expect(prediction.labels == ["negative", "neutral", "positive"])
            #expect(abs(prediction.probabilities.reduce(0, +) - 1) < 1e-9)
            #expect((-1...1).contains(prediction.score))
            #expect(prediction.modelID == model.modelID)
            #expect(prediction.labels.contains(prediction.label))
        }
        let positive = model.predict("love love great awesome")
        #expect(positive.label == "positive" && positive.score > 0)
        #expect(abs(positive.score - (positive.probability(of: "positive")! - positive.probability(of: "negative")!)) < 1e-12)
    }

    @Test("a reused workspace gives the same bits as a fresh one")
    func workspaceReuse() throws {
        let model = try model(.logisticRegression)
        var workspace = PredictionWorkspace()
        _ = model.predict(String(repeating: "long text ", count: 500), workspace: &workspace)
        let reused = model.predict("sad broken phone", workspace: &workspace)
        #expect(reused == model.predict("sad broken phone"))
    }

    @Test("classify, reusing one workspace, gives the label, probability bits and score of a fresh predict", arguments: Algorithm.allCases)
    func classifyMatchesPredict(algorithm: Algorithm) throws {
        let model = try model(algorithm)
        var workspace = PredictionWorkspace()
        for example in test.prefix(100) + [LabeledText(text: "", label: "neutral")] {
            let prediction = model.predict(example.text)
            let best = model.classifier.classify(example.text, workspace: &workspace)
            #expect(model.classifier.labels[best] == prediction.label)
            #expect(workspace.probabilities.map(\.bitPattern) == prediction.probabilities.map(\.bitPattern))
            #expect(model.classifier.score(probabilities: workspace.probabilities).bitPattern == prediction.score.bitPattern)
        }
    }

    @Test("training refuses what it cannot learn from")
    func refusals() {
        #expect(throws: TrainingError.noExamples) { try Trainer.train([], parameters: TrainingParameters(algorithm: .naiveBayes)) }
        #expect(throws: TrainingError.singleLabel("positive")) {
            try Trainer.train([LabeledText(text: "a", label: "positive")], parameters: TrainingParameters(algorithm: .logisticRegression))
        }
        for parameters in [TrainingParameters(algorithm: .logisticRegression, epochs: 0),
                           TrainingParameters(algorithm: .logisticRegression, learningRate: .infinity),
                           TrainingParameters(algorithm: .logisticRegression, l2: .nan),
                           TrainingParameters(algorithm: .naiveBayes, smoothing: 0)] {
            #expect(throws: TrainingError.self) { try Trainer.train(train, parameters: parameters) }
        }
        #expect(TrainingParameters(algorithm: .naiveBayes, epochs: 0).problem == nil, "naive Bayes has no epochs")
    }
}

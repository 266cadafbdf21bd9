import Corpus
import Foundation
import ModelCore

/// `rehearse-bench predict`: single-threaded prediction speed of the model core.
///
/// Trains the default logistic-regression model on the corpus's train split, then predicts the
/// test split's texts (already in memory) over and over on one thread — tokenize, hash features,
/// classify — and reports tweets per second. Also reports training time and test macro-F1.
enum PredictBenchmark {
    static func run(corpusPath: String?, seconds: Double) throws {
        let url = try corpusPath.map { URL(fileURLWithPath: $0) } ?? CorpusFetcher().fetch { print($0) }
        let corpus = try TweetCorpus(contentsOf: url)
        let train = corpus.examples(in: .train)
        let test = corpus.examples(in: .test)
        let clock = ContinuousClock()

        var classifier: LinearTextClassifier?
        let trainingTime = try clock.measure {
            classifier = try Trainer.train(train, parameters: TrainingParameters(algorithm: .logisticRegression))
        }
        let model = TrainedModel(
            metadata: ModelMetadata(parameters: TrainingParameters(algorithm: .logisticRegression), trainingData: TrainingDataSummary(examples: train, source: "bench")),
            classifier: classifier!
        )
        let texts = test.map(\.text)
        var workspace = PredictionWorkspace()
        let predicted = texts.map { model.predict($0, workspace: &workspace).label }
        let metrics = ClassificationMetrics(truth: test.map(\.label), predicted: predicted, labels: model.classifier.labels)
        print("trained logreg on \(train.count) tweets in \(format(trainingTime.seconds)) s")
        print("test macro-F1 \(String(format: "%.4f", metrics.macroF1)), accuracy \(String(format: "%.4f", metrics.accuracy))")

        var predictions = 0
        var checksum = 0.0
        let cpuStart = ThreadCPUTime.seconds()
        let start = clock.now
        var elapsed = Duration.zero
        repeat {
            for text in texts { checksum += model.predict(text, workspace: &workspace).score }
            predictions += texts.count
            elapsed = clock.now - start
        } while elapsed.seconds < seconds
        let rate = Double(predictions) / elapsed.seconds
        let cpuRate = Double(predictions) / (ThreadCPUTime.seconds() - cpuStart)
        print("predicted \(predictions) tweets in \(format(elapsed.seconds)) s on 1 thread: \(Int(rate)) tweets/s (checksum \(String(format: "%.3f", checksum)))")
        print("per second of the thread's own CPU time (steadier on a busy machine): \(Int(cpuRate)) tweets/s")
        print("{\"tweets_per_s\": \(Int(rate)), \"tweets_per_cpu_s\": \(Int(cpuRate)), \"train_s\": \(format(trainingTime.seconds)), \"macro_f1\": \(String(format: "%.4f", metrics.macroF1)), \"accuracy\": \(String(format: "%.4f", metrics.accuracy))}")
    }

    private static func format(_ seconds: Double) -> String { String(format: "%.3f", seconds) }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// The CPU time this thread has used, which other processes on the machine do not inflate.
enum ThreadCPUTime {
    static func seconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

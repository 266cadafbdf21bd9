import Corpus
import Foundation
import ModelCore
import Testing

/// Checks on the real tweet corpus. The README's test command fetches it first, so CI always
/// runs these; a developer running `swift test` offline without the cache sees them skipped.
@Suite("The real tweet corpus", .enabled(if: RealCorpus.url != nil, RealCorpus.skipMessage))
struct RealCorpusTests {
    @Test("the split has the published sizes and no malformed rows")
    func splitCounts() throws {
        let corpus = try TweetCorpus(contentsOf: RealCorpus.url!)
        #expect(corpus.problems.isEmpty)
        #expect(corpus.rows(in: .train).count == 30_502)
        #expect(corpus.rows(in: .test).count == 7_656)
    }

    @Test("logistic regression with default settings beats the macro-F1 bar of 0.74 on the test split")
    func macroF1Bar() throws {
        let corpus = try TweetCorpus(contentsOf: RealCorpus.url!)
        let classifier = try Trainer.train(corpus.examples(in: .train), parameters: TrainingParameters(algorithm: .logisticRegression))
        var workspace = PredictionWorkspace()
        let test = corpus.examples(in: .test)
        let predicted = test.map { classifier.predict($0.text, modelID: "", workspace: &workspace).label }
        let metrics = ClassificationMetrics(truth: test.map(\.label), predicted: predicted, labels: classifier.labels)
        print("real corpus: logreg test macro-F1 \(metrics.macroF1), accuracy \(metrics.accuracy)")
        #expect(metrics.macroF1 >= 0.74)
    }
}

enum RealCorpus {
    /// The verified cached corpus, if there is one.
    static let url: URL? = {
        let url = CorpusCache.fromEnvironment().verifiedFile(for: .tweets)
        if url == nil { print("⚠️  \(skipMessage)") }
        return url
    }()

    static let skipMessage: Comment = "SKIPPED: the real tweet corpus is not cached. Run `rehearse data fetch` (or `make test`, which fetches it) to run the corpus split and macro-F1 checks."
}

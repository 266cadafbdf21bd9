import ModelCore
import Testing

/// The scoring loops (a SIMD one for three labels, a general one for any other count, both
/// prefetching rows and applying feature signs by bit) against the formula in
/// `LinearTextClassifier`'s documentation, written out plainly here from public parts.
@Suite("Scoring gives the bits of the documented formula, for two, three and four labels")
struct ScoringFormulaTests {
    static let texts = [
        "love this great phone", "sad broken phone never again", "meh it is a phone", "",
        "not great, not terrible :) #sooooo http://t.co/x @you 10:30 😀", "the the the the",
    ]

    /// The synthetic tweets with labels given by `relabel`, which sets how many there are.
    func model(_ algorithm: Algorithm, relabel: (LabeledText) -> String) throws -> LinearTextClassifier {
        let examples = SyntheticTweets.make(count: 600, seed: 5).map { LabeledText(text: $0.text, label: relabel($0)) }
        let parameters = TrainingParameters(algorithm: algorithm, hashing: FeatureHashing(buckets: 1 << 12), seed: 9)
        return try Trainer.train(examples, parameters: parameters)
    }

    /// The logits by the formula: per feature occurrence, value × weight per label in `Float`,
    /// in feature order; then bias + sum / ‖values‖ (TF-IDF) or bias + sum (counts) in `Double`.
    func formulaLogits(_ classifier: LinearTextClassifier, _ text: String) -> [Double] {
        var tokens = TokenBuffer()
        classifier.tokenizer.tokenize(text, into: &tokens)
        var indices: [Int32] = []
        classifier.hashing.indices(of: tokens, into: &indices)
        let labelCount = classifier.labels.count
        var sums = [Float](repeating: 0, count: labelCount)
        var sumOfSquares: Float = 0
        for index in indices {
            let base = FeatureHashing.bucket(of: index) * classifier.stride
            let value: Float = classifier.weighting == .tfidf ? classifier.table[base] * FeatureHashing.sign(of: index) : 1
            for label in 0..<labelCount { sums[label] += value * classifier.table[base + 1 + label] }
            sumOfSquares += value * value
        }
        let scale = classifier.weighting == .tfidf && sumOfSquares > 0 ? 1 / Double(sumOfSquares).squareRoot() : 1
        return (0..<labelCount).map { Double(classifier.biases[$0]) + Double(sums[$0]) * scale }
    }

    @Test("each label count and algorithm", arguments: Algorithm.allCases, [2, 3, 4])
    func sameBits(algorithm: Algorithm, labelCount: Int) throws {
        let classifier = try model(algorithm) { example in
            switch labelCount {
            case 2: example.label == "positive" ? "positive" : "negative"
            case 3: example.label
            default: example.label == "neutral" && example.text.count % 2 == 0 ? "other" : example.label
            }
        }
        #expect(classifier.labels.count == labelCount)
        var workspace = PredictionWorkspace()
        for text in Self.texts {
            let prediction = classifier.predict(text, modelID: "m", workspace: &workspace)
            let expected = Softmax.probabilities(formulaLogits(classifier, text))
            #expect(prediction.probabilities.map(\.bitPattern) == expected.map(\.bitPattern), "\(algorithm) \(labelCount) labels: \(text)")
        }
    }
}

/// Trains multinomial naive Bayes: `log P(label) + Σ count(f) · log P(f | label)`.
///
/// `P(f | label) = (count(f, label) + α) / (Σ_f count(f, label) + α · buckets)` with
/// α = `parameters.smoothing`. The result is a `LinearTextClassifier` with `counts` weighting.
enum NaiveBayesTrainer {
    static func train(_ data: HashedExamples, parameters: TrainingParameters) -> LinearTextClassifier {
        let labelCount = data.labels.count
        let buckets = parameters.hashing.buckets
        var counts = [Double](repeating: 0, count: buckets * labelCount)
        var totals = [Double](repeating: 0, count: labelCount)
        for example in 0..<data.count {
            let label = data.labelIndices[example]
            for position in data.range(of: example) {
                counts[FeatureHashing.bucket(of: data.indices[position]) * labelCount + label] += 1
                totals[label] += 1
            }
        }
        let alpha = parameters.smoothing
        let stride = labelCount + 1
        var table = [Float](repeating: 0, count: buckets * stride)
        for bucket in 0..<buckets {
            table[bucket * stride] = 1
            for label in 0..<labelCount {
                let probability = (counts[bucket * labelCount + label] + alpha) / (totals[label] + alpha * Double(buckets))
                table[bucket * stride + 1 + label] = Float(PortableMath.log(probability))
            }
        }
        let labelCounts = data.labelCounts
        let biases = labelCounts.map { Float(PortableMath.log(Double($0) / Double(data.count))) }
        return LinearTextClassifier(
            labels: data.labels, tokenizer: parameters.tokenizer, hashing: parameters.hashing,
            weighting: .counts, table: table, biases: biases
        )
    }
}

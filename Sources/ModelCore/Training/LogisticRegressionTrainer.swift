import Determinism

/// Trains softmax logistic regression on TF-IDF features with AdaGrad SGD.
///
/// 1. IDF per bucket, smoothed as in scikit-learn: `ln((1 + n) / (1 + df)) + 1`.
/// 2. Each example's feature values: the signed IDF of each occurrence, divided by the root of
///    the summed squares of its occurrences' values (as `LinearTextClassifier` does).
/// 3. `epochs` passes over the examples in an order shuffled by `SplitMix64(seed)`; each step
///    follows the gradient of the (label-balanced) cross-entropy plus `l2 · w` on the weights it
///    touches, with AdaGrad's per-weight step sizes.
///
/// Every loop runs in a fixed order on one thread, so the same data and parameters always give
/// the same weights, bit for bit.
enum LogisticRegressionTrainer {
    static func train(_ data: HashedExamples, parameters: TrainingParameters) -> LinearTextClassifier {
        let labelCount = data.labels.count
        let buckets = parameters.hashing.buckets
        let idf = inverseDocumentFrequencies(data, buckets: buckets)
        let values = featureValues(data, idf: idf)
        let exampleWeights = labelWeights(data, balanced: parameters.balancesLabels)

        var weights = [Double](repeating: 0, count: buckets * labelCount)
        var squaredGradients = [Double](repeating: 0, count: buckets * labelCount)
        var biases = [Double](repeating: 0, count: labelCount)
        var squaredBiasGradients = [Double](repeating: 0, count: labelCount)
        var weightSteps = [Double](repeating: 0, count: buckets * labelCount)
        var biasSteps = [Double](repeating: 0, count: labelCount)
        var step = 0.0
        var logits = [Double](repeating: 0, count: labelCount)
        var gradient = [Double](repeating: 0, count: labelCount)
        let rate = parameters.learningRate
        let l2 = parameters.l2
        let epsilon = 1e-8

        var order = Array(0..<data.count)
        var random = SplitMix64(seed: parameters.seed)
        for _ in 0..<parameters.epochs {
            random.shuffle(&order)
            for example in order {
                step += 1
                let range = data.range(of: example)
                for label in 0..<labelCount {
                    var logit = biases[label]
                    for position in range {
                        logit += values[position] * weights[FeatureHashing.bucket(of: data.indices[position]) * labelCount + label]
                    }
                    logits[label] = logit
                }
                let probabilities = Softmax.probabilities(logits)
                let truth = data.labelIndices[example]
                for label in 0..<labelCount {
                    gradient[label] = exampleWeights[truth] * (probabilities[label] - (label == truth ? 1 : 0))
                    squaredBiasGradients[label] += gradient[label] * gradient[label]
                    let change = rate * gradient[label] / (squaredBiasGradients[label].squareRoot() + epsilon)
                    biases[label] -= change
                    biasSteps[label] -= (step - 1) * change
                }
                for position in range {
                    let base = FeatureHashing.bucket(of: data.indices[position]) * labelCount
                    let value = values[position]
                    for label in 0..<labelCount {
                        let slot = base + label
                        let slope = gradient[label] * value + l2 * weights[slot]
                        squaredGradients[slot] += slope * slope
                        let change = rate * slope / (squaredGradients[slot].squareRoot() + epsilon)
                        weights[slot] -= change
                        weightSteps[slot] -= (step - 1) * change
                    }
                }
            }
        }

        if parameters.averagesWeights && step > 0 {
            for slot in weights.indices { weights[slot] -= weightSteps[slot] / step }
            for label in biases.indices { biases[label] -= biasSteps[label] / step }
        }

        let stride = labelCount + 1
        var table = [Float](repeating: 0, count: buckets * stride)
        for bucket in 0..<buckets {
            table[bucket * stride] = idf[bucket]
            for label in 0..<labelCount {
                table[bucket * stride + 1 + label] = Float(weights[bucket * labelCount + label])
            }
        }
        return LinearTextClassifier(
            labels: data.labels, tokenizer: parameters.tokenizer, hashing: parameters.hashing,
            weighting: .tfidf, table: table, biases: biases.map { Float($0) }
        )
    }

    /// Smoothed IDF per bucket, as `Float` because that is what the classifier stores.
    private static func inverseDocumentFrequencies(_ data: HashedExamples, buckets: Int) -> [Float] {
        var documentFrequency = [Int](repeating: 0, count: buckets)
        var lastSeenIn = [Int](repeating: -1, count: buckets)
        for example in 0..<data.count {
            for position in data.range(of: example) {
                let bucket = FeatureHashing.bucket(of: data.indices[position])
                if lastSeenIn[bucket] != example {
                    lastSeenIn[bucket] = example
                    documentFrequency[bucket] += 1
                }
            }
        }
        let documents = Double(data.count)
        return documentFrequency.map { Float(PortableMath.log((1 + documents) / (1 + Double($0))) + 1) }
    }

    /// Each occurrence's value: its IDF divided by the length of its example's IDF vector —
    /// computed from the `Float` IDF exactly as `LinearTextClassifier` does at prediction time.
    private static func featureValues(_ data: HashedExamples, idf: [Float]) -> [Double] {
        var values = [Double](repeating: 0, count: data.indices.count)
        for example in 0..<data.count {
            let range = data.range(of: example)
            var sumOfSquares: Float = 0
            for position in range {
                let value = idf[FeatureHashing.bucket(of: data.indices[position])]
                sumOfSquares += value * value
            }
            let scale = sumOfSquares > 0 ? 1 / Double(sumOfSquares).squareRoot() : 1
            for position in range {
                let index = data.indices[position]
                values[position] = Double(idf[FeatureHashing.bucket(of: index)] * FeatureHashing.sign(of: index)) * scale
            }
        }
        return values
    }

    /// The loss weight of each label: `n / (labels × n_label)` when balanced, else 1.
    private static func labelWeights(_ data: HashedExamples, balanced: Bool) -> [Double] {
        let counts = data.labelCounts
        guard balanced else { return counts.map { _ in 1 } }
        let total = Double(data.count)
        let labelCount = Double(counts.count)
        return counts.map { $0 == 0 ? 0 : total / (labelCount * Double($0)) }
    }
}

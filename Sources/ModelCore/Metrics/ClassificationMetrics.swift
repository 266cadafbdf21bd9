/// How well predicted labels match true labels.
///
/// Precision, recall and F1 are 0 where their denominator is 0 (as scikit-learn reports with
/// `zero_division=0`). Macro-F1 is the unweighted mean of the F1 scores of the labels that occur
/// in the truth or the predictions (as scikit-learn's default), so a label the model knows but
/// the data never has does not drag it down.
public struct ClassificationMetrics: Sendable, Equatable, Codable {
    /// The labels, in the order of the confusion matrix's rows and columns.
    public let labels: [String]
    /// `confusion[t][p]`: how many examples with true label `labels[t]` were predicted `labels[p]`.
    public let confusion: [[Int]]
    /// The fraction of examples predicted correctly (0 for no examples).
    public let accuracy: Double
    /// The mean of the per-label F1 scores.
    public let macroF1: Double
    /// Precision, recall, F1 and support of each label, in label order.
    public let perClass: [LabelMetrics]
    /// How many examples were scored.
    public let count: Int

    enum CodingKeys: String, CodingKey {
        case labels, confusion, accuracy, macroF1 = "macro_f1", perClass = "per_class", count
    }

    /// Metrics for `predicted[i]` against `truth[i]`. Labels come from `labels` first, then any
    /// other label seen, sorted.
    public init(truth: [String], predicted: [String], labels: [String] = []) {
        precondition(truth.count == predicted.count, "one prediction per true label")
        let unseen = Set(truth + predicted).subtracting(labels).sorted()
        let allLabels = labels + unseen
        let position = Dictionary(uniqueKeysWithValues: allLabels.enumerated().map { ($1, $0) })
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: allLabels.count), count: allLabels.count)
        for (actual, guess) in zip(truth, predicted) {
            confusion[position[actual]!][position[guess]!] += 1
        }
        self.init(labels: allLabels, confusion: confusion)
    }

    /// Metrics from a confusion matrix (`confusion[true][predicted]`).
    public init(labels: [String], confusion: [[Int]]) {
        self.labels = labels
        self.confusion = confusion
        let total = confusion.joined().reduce(0, +)
        let correct = labels.indices.reduce(0) { $0 + confusion[$1][$1] }
        count = total
        accuracy = total == 0 ? 0 : Double(correct) / Double(total)
        perClass = labels.indices.map { index in
            let truePositives = confusion[index][index]
            let predictedCount = labels.indices.reduce(0) { $0 + confusion[$1][index] }
            let support = confusion[index].reduce(0, +)
            return LabelMetrics(label: labels[index], truePositives: truePositives, predicted: predictedCount, support: support)
        }
        let present = perClass.filter { $0.support > 0 || $0.predictedCount > 0 }
        macroF1 = present.isEmpty ? 0 : present.map(\.f1).reduce(0, +) / Double(present.count)
    }
}

/// Precision, recall and F1 of one label.
public struct LabelMetrics: Sendable, Equatable, Codable {
    /// The label.
    public let label: String
    /// Of the examples predicted as this label, the fraction that truly are.
    public let precision: Double
    /// Of the examples truly of this label, the fraction predicted as it.
    public let recall: Double
    /// The harmonic mean of precision and recall.
    public let f1: Double
    /// How many examples truly have this label.
    public let support: Int
    /// How many examples were predicted as this label.
    public let predictedCount: Int

    enum CodingKeys: String, CodingKey {
        case label, precision, recall, f1, support, predictedCount = "predicted"
    }

    init(label: String, truePositives: Int, predicted: Int, support: Int) {
        self.label = label
        self.support = support
        predictedCount = predicted
        precision = predicted == 0 ? 0 : Double(truePositives) / Double(predicted)
        recall = support == 0 ? 0 : Double(truePositives) / Double(support)
        f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
    }
}

import Foundation
import ModelCore

/// Scoring a model on labelled examples, and showing the result.
enum Evaluation {
    /// The classifier's metrics on `examples`.
    static func metrics(of classifier: LinearTextClassifier, on examples: [LabeledText]) -> ClassificationMetrics {
        var workspace = PredictionWorkspace()
        let predicted = examples.map { classifier.predict($0.text, modelID: "", workspace: &workspace).label }
        return ClassificationMetrics(truth: examples.map(\.label), predicted: predicted, labels: classifier.labels)
    }

    /// A readable table of `metrics`.
    static func summary(_ metrics: ClassificationMetrics, title: String) -> String {
        var lines = ["\(title): \(metrics.count) rows  accuracy \(format(metrics.accuracy))  macro-F1 \(format(metrics.macroF1))"]
        lines.append("  label        precision  recall  f1      support")
        for label in metrics.perClass {
            lines.append("  " + [pad(label.label, 12), pad(format(label.precision), 10), pad(format(label.recall), 7), pad(format(label.f1), 7), String(label.support)].joined(separator: " "))
        }
        lines.append("  confusion (rows: true, columns: predicted; order \(metrics.labels.joined(separator: ", "))):")
        for (label, row) in zip(metrics.labels, metrics.confusion) {
            lines.append("  " + pad(label, 12) + " " + row.map { pad(String($0), 6) }.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    static func format(_ value: Double) -> String { String(format: "%.4f", value) }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}

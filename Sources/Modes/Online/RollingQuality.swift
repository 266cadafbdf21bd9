import ModelCore

/// The confusion matrix of the last `window` labelled predictions of one model version.
/// Accuracy and macro-F1 come from ModelCore's `ClassificationMetrics` over that matrix.
struct RollingQuality {
    /// The version's labels, then any true labels the model does not predict (`addLabel`): the
    /// rows and columns of the matrix.
    private(set) var labels: [String]
    let window: Int
    /// (true label, predicted label) as indexes into `labels`, oldest first.
    private var pairs = FIFOBuffer<(truth: Int, predicted: Int)>()
    /// `confusion[truth][predicted]` over `pairs`.
    private var confusion: [[Int]]

    init(labels: [String], window: Int) {
        self.labels = labels
        self.window = window
        confusion = Array(repeating: Array(repeating: 0, count: labels.count), count: labels.count)
    }

    /// Adds a true label the model never predicts (a class it was not trained on): its row
    /// counts misses, its column stays empty.
    /// - Returns: its index.
    mutating func addLabel(_ label: String) -> Int {
        labels.append(label)
        for row in confusion.indices { confusion[row].append(0) }
        confusion.append(Array(repeating: 0, count: labels.count))
        return labels.count - 1
    }

    /// Labelled predictions in the window.
    var count: Int { pairs.count }

    /// Counts one labelled prediction, forgetting the oldest once the window is full.
    mutating func add(truth: Int, predicted: Int) {
        pairs.append((truth, predicted))
        confusion[truth][predicted] += 1
        if pairs.count > window, let oldest = pairs.popFirst() {
            confusion[oldest.truth][oldest.predicted] -= 1
        }
    }

    /// The metrics of the window (accuracy and macro-F1 are 0 while it is empty).
    var metrics: ClassificationMetrics { ClassificationMetrics(labels: labels, confusion: confusion) }
}

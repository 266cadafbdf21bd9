import ModelCore

/// The confusion matrix of the last `window` labelled predictions of one model version.
/// Accuracy and macro-F1 come from ModelCore's `ClassificationMetrics` over that matrix.
struct RollingQuality {
    /// The version's labels: the rows and columns of the matrix.
    let labels: [String]
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

/// Why a training run could not start, or could not finish.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The training set is empty.
    case noExamples
    /// Every example has the same label, so there is nothing to tell apart.
    case singleLabel(String)
    /// A parameter is out of range; the text says which and why.
    case invalidParameter(String)
    /// A weight became infinite or NaN: the learning rate is too large for the data.
    case diverged
    /// There is not one label per row.
    case labelCountMismatch(rows: Int, labels: Int)
    /// Newton's method still moved a weight by more than the tolerance after its last iteration.
    case notConverged(iterations: Int, largestStep: Double, tolerance: Double)
    /// The arithmetic broke down (a singular Newton system, a value that is not finite); the
    /// text says what and where.
    case numericalFailure(String)

    public var description: String {
        switch self {
        case .noExamples: "cannot train on an empty training set"
        case .singleLabel(let label): "cannot train a classifier: every example has the label \"\(label)\"; at least two labels are needed"
        case .invalidParameter(let reason): "invalid training parameter: \(reason)"
        case .diverged: "training diverged (a weight is not a finite number); try a smaller learning rate"
        case .labelCountMismatch(let rows, let labels): "cannot train: the table has \(rows) rows but \(labels) labels were given; one label per row is needed"
        case .notConverged(let iterations, let largestStep, let tolerance):
            "training did not converge within max_iterations (\(iterations)): the last Newton step still moved a weight by \(largestStep), above the tolerance \(tolerance); raise max_iterations or l2, or look for a column that separates the labels perfectly"
        case .numericalFailure(let reason): "training failed numerically: \(reason)"
        }
    }
}

/// Why a training run could not start.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The training set is empty.
    case noExamples
    /// Every example has the same label, so there is nothing to tell apart.
    case singleLabel(String)
    /// A parameter is out of range; the text says which and why.
    case invalidParameter(String)
    /// A weight became infinite or NaN: the learning rate is too large for the data.
    case diverged

    public var description: String {
        switch self {
        case .noExamples: "cannot train on an empty training set"
        case .singleLabel(let label): "cannot train a classifier: every example has the label \"\(label)\"; at least two labels are needed"
        case .invalidParameter(let reason): "invalid training parameter: \(reason)"
        case .diverged: "training diverged (a weight is not a finite number); try a smaller learning rate"
        }
    }
}

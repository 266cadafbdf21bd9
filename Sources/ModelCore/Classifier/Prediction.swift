/// What a model says about one text.
public struct Prediction: Sendable, Equatable {
    /// The most probable label (the first in label order on a tie).
    public let label: String
    /// The labels, in the model's order.
    public let labels: [String]
    /// The probability of each label, in the order of `labels`; they sum to 1.
    public let probabilities: [Double]
    /// P(positive) − P(negative), in [-1, 1]; 0 when the model has no such labels.
    public let score: Double
    /// The id of the model that made this prediction.
    public let modelID: String

    /// A prediction from its parts; `probabilities` are in the order of `labels`.
    public init(label: String, labels: [String], probabilities: [Double], score: Double, modelID: String) {
        self.label = label
        self.labels = labels
        self.probabilities = probabilities
        self.score = score
        self.modelID = modelID
    }

    /// The probability of `label`, or nil if the model does not know it.
    public func probability(of label: String) -> Double? {
        labels.firstIndex(of: label).map { probabilities[$0] }
    }
}

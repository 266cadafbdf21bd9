import ModelCore

/// The predictions for the texts of one request, laid out as the V2 output tensors carry them.
public struct InferenceResult: Sendable, Equatable {
    /// The number of labels (the second dimension of `probabilities`).
    public let labelCount: Int
    /// Per text, the index of its label in the model's label order.
    public var labelIndices: [Int] = []
    /// Per text, one probability per label in the model's label order, row after row.
    public var probabilities: [Double] = []
    /// Per text, P(positive) − P(negative).
    public var scores: [Double] = []

    /// An empty result for a model with `labelCount` labels, with room for `capacity` texts.
    public init(labelCount: Int, capacity: Int) {
        self.labelCount = labelCount
        labelIndices.reserveCapacity(capacity)
        probabilities.reserveCapacity(capacity * labelCount)
        scores.reserveCapacity(capacity)
    }

    /// The number of texts.
    public var count: Int { labelIndices.count }
}

extension InferenceResult {
    /// The result as one `Prediction` per text (as `TrainedModel.predict` gives it), for the
    /// model with `labels` and `modelID`.
    public func predictions(labels: [String], modelID: String) -> [Prediction] {
        (0..<count).map { row in
            Prediction(label: labels[labelIndices[row]], labels: labels,
                       probabilities: Array(probabilities[(row * labelCount)..<((row + 1) * labelCount)]),
                       score: scores[row], modelID: modelID)
        }
    }
}

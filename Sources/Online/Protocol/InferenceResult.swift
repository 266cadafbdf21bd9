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

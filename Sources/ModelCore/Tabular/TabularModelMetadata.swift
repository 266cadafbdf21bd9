/// What a tabular artifact says about how its model came to be.
public struct TabularModelMetadata: Sendable, Equatable, Codable {
    /// The parameters of the training run.
    public var parameters: TabularTrainingParameters
    /// The data it was trained on (see `TrainingDataSummary.init(table:labels:source:)`).
    public var trainingData: TrainingDataSummary
    /// Named figures stored with the model, such as `"baseline_hit_rate": 0.21`; written as a
    /// JSON object with sorted keys.
    public var evaluation: [String: Double]

    /// Metadata for a model trained with `parameters` on `trainingData`.
    public init(parameters: TabularTrainingParameters, trainingData: TrainingDataSummary, evaluation: [String: Double] = [:]) {
        self.parameters = parameters
        self.trainingData = trainingData
        self.evaluation = evaluation
    }

    enum CodingKeys: String, CodingKey {
        case parameters, trainingData = "training_data", evaluation
    }
}

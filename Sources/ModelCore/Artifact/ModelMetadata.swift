/// What an artifact says about how its model came to be.
public struct ModelMetadata: Sendable, Equatable, Codable {
    /// The hyper-parameters and seed of the training run.
    public var parameters: TrainingParameters
    /// The data it was trained on.
    public var trainingData: TrainingDataSummary
    /// Its metrics on held-out data, if it was evaluated when trained.
    public var metrics: ClassificationMetrics?
    /// Which data `metrics` were measured on (e.g. "corpus test split").
    public var evaluatedOn: String?

    /// Metadata for a model trained with `parameters` on `trainingData`.
    public init(parameters: TrainingParameters, trainingData: TrainingDataSummary, metrics: ClassificationMetrics? = nil, evaluatedOn: String? = nil) {
        self.parameters = parameters
        self.trainingData = trainingData
        self.metrics = metrics
        self.evaluatedOn = evaluatedOn
    }

    enum CodingKeys: String, CodingKey {
        case parameters, trainingData = "training_data", metrics, evaluatedOn = "evaluated_on"
    }
}

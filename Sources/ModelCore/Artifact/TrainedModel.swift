/// A trained classifier with its metadata: the versioned model artifact, identified by the
/// SHA-256 of its content (`modelID`).
///
/// Every inference mode predicts through this type, so batch, online and streaming predictions
/// of one text are identical and each carries the id of the model that made it.
public struct TrainedModel: Predictor {
    /// How the model came to be.
    public let metadata: ModelMetadata
    /// The weights that make the predictions.
    public let classifier: LinearTextClassifier
    /// The SHA-256 (hex) of the artifact's content.
    public let modelID: String
    /// The artifact file's bytes.
    public let artifactBytes: [UInt8]

    /// A model from a freshly trained classifier; its id is the hash of its encoded content.
    public init(metadata: ModelMetadata, classifier: LinearTextClassifier) {
        self.metadata = metadata
        self.classifier = classifier
        (artifactBytes, modelID) = ModelArtifactFormat.encode(metadata: metadata, classifier: classifier)
    }

    /// A model read back from artifact bytes.
    /// - Throws: `ModelArtifactError` if the bytes are not an artifact, are of another schema, are
    ///   truncated, were edited, or do not describe a well-formed model.
    public init(artifact bytes: [UInt8]) throws {
        let decoded = try ModelArtifactFormat.decode(bytes)
        metadata = decoded.metadata
        classifier = decoded.classifier
        modelID = decoded.id
        artifactBytes = bytes
    }

    public func predict(_ text: String, workspace: inout PredictionWorkspace) -> Prediction {
        classifier.predict(text, modelID: modelID, workspace: &workspace)
    }
}

extension TrainedModel: RegistrableModel {
    /// The training algorithm's name, as in `TrainingParameters` (`nb`, `logreg`).
    public var algorithmName: String { metadata.parameters.algorithm.rawValue }
    /// The classifier's labels, sorted.
    public var labels: [String] { classifier.labels }
    public var trainingData: TrainingDataSummary { metadata.trainingData }
    /// Text models store no named figures: their metrics are in `metadata.metrics`.
    public var evaluation: [String: Double] { [:] }
}

import ModelCore

/// One loaded model version, as the service serves it. Immutable: a hot reload swaps in another
/// `ServedModel`, so a request that took this one finishes with it.
public final class ServedModel: Sendable {
    /// The model name.
    public let name: String
    /// The registry version (1 for an artifact file).
    public let version: Int
    /// The weights that make the predictions.
    public let classifier: LinearTextClassifier
    /// The model id (the artifact's SHA-256).
    public let modelID: String
    /// How the model came to be (its registry metrics give the quality monitor its baseline).
    public let metadata: ModelMetadata
    /// Writes V2 responses naming this version.
    public let responseEncoder: InferenceResponseEncoder

    /// `model`, served as `version` of `name`. Only what serving needs is kept: not the
    /// artifact's bytes (over 20 MB for a text model), which a served model never writes back.
    public init(name: String, version: Int, model: TrainedModel) {
        self.name = name
        self.version = version
        classifier = model.classifier
        modelID = model.modelID
        metadata = model.metadata
        responseEncoder = InferenceResponseEncoder(name: name, version: version, modelID: model.modelID, labels: model.classifier.labels)
    }

    /// The labels, in the model's order (the order of the probabilities).
    public var labels: [String] { classifier.labels }

    /// Predicts every text, in order, with the numbers `TrainedModel.predict` gives (the same
    /// scorer), laid out for the V2 outputs.
    public func predict(_ texts: [String], workspace: inout PredictionWorkspace) -> InferenceResult {
        var result = InferenceResult(labelCount: classifier.labels.count, capacity: texts.count)
        for text in texts {
            result.labelIndices.append(classifier.classify(text, workspace: &workspace))
            result.probabilities.append(contentsOf: workspace.probabilities)
            result.scores.append(classifier.score(probabilities: workspace.probabilities))
        }
        return result
    }
}

/// A trained `TabularClassifier` with its metadata: the versioned tabular model artifact,
/// identified by the SHA-256 of its content (`modelID`), in the same envelope as text models
/// (`ArtifactEnvelope`; body described in `TabularArtifactFormat`).
public struct TabularModel: Sendable {
    /// The algorithm's name, as the registry shows it.
    public static let algorithmName = "tabular-logreg"

    /// How the model came to be.
    public let metadata: TabularModelMetadata
    /// The weights that make the predictions.
    public let classifier: TabularClassifier
    /// Where its training's Newton's method last summed, when it was stored with it: a later
    /// training on the same rows and more can start there (`TabularTrainer`).
    public let checkpoint: NewtonCheckpoint?
    /// The SHA-256 (hex) of the artifact's content.
    public let modelID: String
    /// The artifact file's bytes.
    public let artifactBytes: [UInt8]

    /// A model from a freshly trained classifier, with its training's checkpoint if given; its
    /// id is the hash of its encoded content.
    public init(metadata: TabularModelMetadata, classifier: TabularClassifier, checkpoint: NewtonCheckpoint? = nil) {
        self.metadata = metadata
        self.classifier = classifier
        self.checkpoint = checkpoint
        (artifactBytes, modelID) = TabularArtifactFormat.encode(metadata: metadata, classifier: classifier, checkpoint: checkpoint)
    }

    /// A model read back from artifact bytes.
    /// - Throws: `ModelArtifactError` if the bytes are not an artifact, are of another schema, are
    ///   truncated, were edited, hold another kind of model (`wrongKind`, e.g. a text
    ///   classifier), or do not describe a well-formed tabular model.
    public init(artifact bytes: [UInt8]) throws {
        let decoded = try TabularArtifactFormat.decode(bytes)
        metadata = decoded.metadata
        classifier = decoded.classifier
        checkpoint = decoded.checkpoint
        modelID = decoded.id
        artifactBytes = bytes
    }
}

extension TabularModel: RegistrableModel {
    /// `tabular-logreg`.
    public var algorithmName: String { Self.algorithmName }
    /// `["false", "true"]`: the classifier's probability is that of `true`.
    public var labels: [String] { ["false", "true"] }
    public var trainingData: TrainingDataSummary { metadata.trainingData }
    public var evaluation: [String: Double] { metadata.evaluation }
}

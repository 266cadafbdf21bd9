import ModelCore

/// The model a batch job scores with, and so what its input rows hold: a text classifier reads
/// one text column per row; a tabular classifier (the automated-ML propensity models) reads its
/// schema's numeric and categorical columns.
public enum BatchModel: Sendable {
    case text(TrainedModel)
    case tabular(TabularModel)

    /// The model in artifact `bytes`, of whichever kind they hold.
    /// - Throws: `ModelArtifactError`, as `TrainedModel(artifact:)` and `TabularModel(artifact:)` do.
    public init(artifact bytes: [UInt8]) throws {
        do {
            self = .text(try TrainedModel(artifact: bytes))
        } catch ModelArtifactError.wrongKind {
            self = .tabular(try TabularModel(artifact: bytes))
        }
    }

    /// The SHA-256 (hex) of the artifact's content.
    public var modelID: String {
        switch self {
        case .text(let model): model.modelID
        case .tabular(let model): model.modelID
        }
    }

    /// The labels predictions choose from, in the model's order: for a tabular model
    /// `["false", "true"]`, whose score is the probability of `true`.
    public var labels: [String] {
        switch self {
        case .text(let model): model.labels
        case .tabular(let model): model.labels
        }
    }
}

/// A model the caller brings to a batch job in place of resolving the spec's reference: the
/// model itself, known before the inputs are read (its kind decides how they are parsed), and
/// how to register it, which the job does only once the inputs were found usable.
public struct ProvidedBatchModel {
    /// The model to score with.
    public let model: BatchModel
    /// Registers the model (or finds it registered) and returns its name and version, for the
    /// manifest.
    public let register: () throws -> (name: String, version: Int)

    /// A model and its registration.
    public init(model: BatchModel, register: @escaping () throws -> (name: String, version: Int)) {
        self.model = model
        self.register = register
    }
}

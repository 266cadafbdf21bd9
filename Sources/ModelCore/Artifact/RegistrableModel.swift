/// What the model registry needs of a model, whatever its kind: the artifact to store, its id,
/// and what to show about it.
public protocol RegistrableModel: Sendable {
    /// The SHA-256 (hex) of the artifact's content.
    var modelID: String { get }
    /// The artifact file's bytes.
    var artifactBytes: [UInt8] { get }
    /// The name of the algorithm that trained it, as shown to people (e.g. `logreg`).
    var algorithmName: String { get }
    /// The labels it predicts, in its own order.
    var labels: [String] { get }
    /// The data it was trained on.
    var trainingData: TrainingDataSummary { get }
    /// Named figures stored with the model (e.g. `baseline_hit_rate`); empty if it has none.
    var evaluation: [String: Double] { get }
}

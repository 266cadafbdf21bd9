import ModelCore
import Modes

/// Where the service gets the model it serves.
public enum ModelSource: Sendable {
    /// `name@alias` or `name@version` from the model registry in `bucket` of the service's
    /// object store. An alias is polled, and the service follows it when it moves.
    case registry(bucket: String, model: ModelReference)
    /// One artifact, already loaded, served under its name and version (`artifact(_:name:)`
    /// serves an artifact file as version 1).
    case artifact(ServedModel)

    /// The artifact `model`, served as version 1 of `name`.
    public static func artifact(_ model: TrainedModel, name: String) -> ModelSource {
        .artifact(ServedModel(name: name, version: 1, model: model))
    }

    /// The model name the service answers to.
    public var name: String {
        switch self {
        case .registry(_, let model): model.name
        case .artifact(let served): served.name
        }
    }

    /// How the source reads in logs: `sentiment@production in bucket "data"`, or `sentiment (an artifact file)`.
    public var description: String {
        switch self {
        case .registry(let bucket, let model): "\(model) in bucket \"\(bucket)\""
        case .artifact(let served): "\(served.name) (artifact \(served.modelID.prefix(12)))"
        }
    }
}

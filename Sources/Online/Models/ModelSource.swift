import ModelCore
import Modes

/// Where the service gets the model it serves.
public enum ModelSource: Sendable {
    /// `name@alias` or `name@version` from the model registry in `bucket` of the service's
    /// object store. An alias is polled, and the service follows it when it moves.
    case registry(bucket: String, model: ModelReference)
    /// One artifact, already loaded, served as version 1 of `name`.
    case artifact(TrainedModel, name: String)

    /// The model name the service answers to.
    public var name: String {
        switch self {
        case .registry(_, let model): model.name
        case .artifact(_, let name): name
        }
    }

    /// How the source reads in logs: `sentiment@production in bucket "data"`, or `sentiment (an artifact file)`.
    public var description: String {
        switch self {
        case .registry(let bucket, let model): "\(model) in bucket \"\(bucket)\""
        case .artifact(let model, let name): "\(name) (artifact \(model.modelID.prefix(12)))"
        }
    }
}

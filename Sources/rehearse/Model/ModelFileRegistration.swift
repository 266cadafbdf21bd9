import ArgumentParser
import LocalCloud
import Modes
import ModelCore

/// `--model-file` of the commands that read the registry (`batch`, `stream`): the artifact is
/// registered under `--model`'s name and the alias pointed at it.
enum ModelFileRegistration {
    /// Fails unless `reference` names an alias to point at the file's version.
    static func validate(_ reference: ModelReference) throws {
        if Int(reference.aliasOrVersion) != nil {
            throw ValidationError("with --model-file, --model names the alias to point at the file's version "
                                  + "(e.g. \(reference.name)@production), not a version number")
        }
    }

    /// Registers `artifact` as a version of the model (or finds the version that holds it
    /// already), points the alias at it, and returns it, so a job scores with exactly that
    /// version — even if another process moves the alias meanwhile. Any number of processes
    /// doing this at once with the same file end up with one version (see
    /// `ModelRegistry.findOrRegister`).
    static func register(_ artifact: TrainedModel, from path: String, as reference: ModelReference,
                         in store: any ObjectStore, bucket: String) throws -> RegisteredModel {
        let version = try registerVersion(artifact, from: path, as: reference, in: store, bucket: bucket)
        return RegisteredModel(name: reference.name, version: version, model: artifact)
    }

    /// `register` for a batch job's model, of either kind: the version that holds it.
    static func register(_ artifact: BatchModel, from path: String, as reference: ModelReference,
                         in store: any ObjectStore, bucket: String) throws -> Int {
        switch artifact {
        case .text(let model): try registerVersion(model, from: path, as: reference, in: store, bucket: bucket)
        case .tabular(let model): try registerVersion(model, from: path, as: reference, in: store, bucket: bucket)
        }
    }

    private static func registerVersion(_ artifact: some RegistrableModel, from path: String, as reference: ModelReference,
                                        in store: any ObjectStore, bucket: String) throws -> Int {
        let registry = ModelRegistry(store: store, bucket: bucket)
        let (version, isNew) = try registry.findOrRegister(artifact, name: reference.name)
        let move = try AliasMove.point(reference.aliasOrVersion, of: reference.name, at: version, in: registry)
        Console.note((isNew ? "registered \(path) as \(reference.name) version \(version)"
                            : "\(path) is already \(reference.name) version \(version)") + "; " + move)
        return version
    }
}

import Foundation
import ModelCore

/// Reading and writing model artifact files.
enum ModelFile {
    /// The model in the artifact file at `path`.
    static func load(_ path: String) throws -> TrainedModel {
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure("cannot read model file \(path): \(error.localizedDescription)")
        }
        do {
            return try TrainedModel(artifact: [UInt8](bytes))
        } catch let error as ModelArtifactError {
            throw CommandFailure("\(path): \(error)")
        }
    }

    /// Writes the model's artifact to `path` atomically: readers see the old file or the new one.
    static func save(_ model: TrainedModel, to path: String) throws {
        try Data(model.artifactBytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

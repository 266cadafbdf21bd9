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
        do {
            try Data(model.artifactBytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CommandFailure("cannot write model file \(path): \(error.localizedDescription)")
        }
    }

    /// Fails unless a file can be written at `path`: its folder exists and is writable, and the
    /// path is not a folder. Checked before training, so a typo does not waste a run.
    static func checkWritable(_ path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw CommandFailure("cannot write model file \(path): the folder \(folder) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw CommandFailure("cannot write model file \(path): the folder \(folder) is not writable")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw CommandFailure("cannot write model file \(path): it is a folder")
        }
    }
}

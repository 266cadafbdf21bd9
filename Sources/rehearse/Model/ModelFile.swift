import Foundation
import ModelCore

/// Reading and writing model artifact files.
enum ModelFile {
    /// The text model in the artifact file at `path`.
    /// - Throws: `CommandFailure` naming the path: unreadable (see `FileAccess.contents`), empty,
    ///   not a valid model artifact (and why), or a tabular model (which only `rehearse batch` scores).
    static func load(_ path: String) throws -> TrainedModel {
        try load(path) { bytes in
            do {
                return try TrainedModel(artifact: bytes)
            } catch let error as ModelArtifactError {
                guard case .wrongKind = error, (try? TabularModel(artifact: bytes)) != nil else { throw error }
                throw CommandFailure("model file \(path) holds a tabular model (such as `rehearse automl`'s propensity models); "
                                     + "this command needs a text classifier. `rehearse batch` scores tabular models over feature files")
            }
        }
    }

    /// The model in the artifact file at `path`, read by `decode` (e.g. `BatchModel.init(artifact:)`,
    /// which takes text and tabular models).
    /// - Throws: as `load(_:)` does.
    static func load<Model>(_ path: String, as decode: ([UInt8]) throws -> Model) throws -> Model {
        // Only the array outlives this line: a large artifact is held once while it loads.
        let bytes = [UInt8](try FileAccess.contents(of: path, what: "model file"))
        guard !bytes.isEmpty else { throw CommandFailure("model file \(path) is empty; expected a model artifact (see `rehearse train`)") }
        do {
            return try decode(bytes)
        } catch let error as ModelArtifactError {
            throw CommandFailure("model file \(path) is not a usable model artifact: \(error)")
        }
    }

    /// Writes the model's artifact to `path` atomically: readers see the old file or the new one.
    static func save(_ model: TrainedModel, to path: String) throws {
        do {
            try Data(model.artifactBytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            try checkWritable(path)  // says what is wrong with the path, in plain words
            let code = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError).map { Int32($0.code) } ?? EIO
            throw FileAccess.failure(writing: path, what: "model file", errno: code)
        }
    }

    /// Fails unless a file can be written at `path`: its folder exists and is writable, and the
    /// path is a regular file or nothing yet. Checked before training, so a typo does not waste a run.
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
        var status = stat()
        if stat(path, &status) == 0 {
            // An atomic write renames over the path: never do that to a folder or a device.
            switch status.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR: throw CommandFailure("cannot write model file \(path): it is a folder, not a file")
            default: throw CommandFailure("cannot write model file \(path): it is not a regular file (a device, pipe or socket)")
            }
        }
    }
}

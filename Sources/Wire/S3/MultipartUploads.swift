import Crypto
import Determinism
import Foundation
import LocalCloud
import Synchronization

/// Multipart uploads in progress, kept on disk until completed or aborted: one folder per
/// upload holding `upload.json` (where the object goes) and each part as `<n>.part` beside
/// `<n>.json` (its ETag, size and time). A part is written to a temporary name and renamed, so a
/// part read back is always whole.
final class MultipartUploads: Sendable {
    /// Where the object goes, recorded when the upload starts.
    struct Upload: Codable {
        var bucket: String
        var key: String
        var contentType: String
        var userMetadata: [String: String]
    }

    /// One stored part.
    struct Part: Codable {
        var number: Int
        var etag: String
        var size: Int64
        var uploaded: Instant
    }

    let folder: URL
    private let clock: any CloudClock
    private let counter = Atomic<UInt64>(0)

    init(folder: URL, clock: any CloudClock) {
        self.folder = folder
        self.clock = clock
    }

    /// Starts an upload and returns its id: a hex digest of the target, the time and a count,
    /// so ids never repeat and name no random state.
    func start(_ upload: Upload) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        while true {
            let count = counter.add(1, ordering: .relaxed).newValue
            let seed = "\(upload.bucket)/\(upload.key)\n\(clock.now.nanosecondsSinceEpoch)\n\(count)"
            let id = String(Hex.string(SHA256.hash(data: Data(seed.utf8))).prefix(40))
            let path = folder.appendingPathComponent(id)
            do {
                try FileManager.default.createDirectory(at: path, withIntermediateDirectories: false)
            } catch CocoaError.fileWriteFileExists {
                continue
            }
            try JSONEncoder().encode(upload).write(to: path.appendingPathComponent("upload.json"), options: .atomic)
            return id
        }
    }

    /// The upload `id`, or NoSuchUpload.
    func upload(_ id: String) throws(S3Error) -> Upload {
        guard Self.isWellFormed(id), let data = FileManager.default.contents(atPath: folder.appendingPathComponent(id).appendingPathComponent("upload.json").path),
              let upload = try? JSONDecoder().decode(Upload.self, from: data)
        else {
            throw S3Error("NoSuchUpload", status: 404, "The specified upload does not exist. The upload ID may be invalid, "
                              + "or the upload may have been aborted or completed.", resource: id)
        }
        return upload
    }

    /// Stores part `number` (replacing an earlier one with that number).
    func store(_ data: Data, number: Int, upload id: String) throws -> Part {
        let path = folder.appendingPathComponent(id)
        let part = Part(number: number, etag: Hex.string(Insecure.MD5.hash(data: data)), size: Int64(data.count), uploaded: clock.now)
        try data.write(to: path.appendingPathComponent("\(number).part"), options: .atomic)
        try JSONEncoder().encode(part).write(to: path.appendingPathComponent("\(number).json"), options: .atomic)
        return part
    }

    /// The parts stored so far, by number.
    func parts(of id: String) throws -> [Part] {
        let path = folder.appendingPathComponent(id)
        return try FileManager.default.contentsOfDirectory(atPath: path.path)
            .filter { $0.hasSuffix(".json") && $0 != "upload.json" }
            .compactMap { try? JSONDecoder().decode(Part.self, from: Data(contentsOf: path.appendingPathComponent($0))) }
            .sorted { $0.number < $1.number }
    }

    /// The bytes of part `number`.
    func data(of number: Int, upload id: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(id).appendingPathComponent("\(number).part"))
    }

    /// Forgets an upload and its parts.
    func remove(_ id: String) {
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(id))
    }

    /// Ids are 40 lowercase hex digits, so one can never name a path outside the folder.
    private static func isWellFormed(_ id: String) -> Bool {
        id.utf8.count == 40 && id.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

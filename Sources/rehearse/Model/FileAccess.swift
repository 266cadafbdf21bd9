import Determinism
import Foundation

/// Reading and checking files the commands are given, with errors a user can act on: each names
/// the path and says what is wrong with it in plain words (no Foundation error domains or codes).
enum FileAccess {
    /// The bytes of the regular file at `path`, a `what` (`model file`, `data file` …).
    /// - Throws: `CommandFailure` naming the path: no such file, a folder, not a regular file
    ///   (a device such as `/dev/null`, a pipe or a socket), permission denied, or the
    ///   system's reason for any other failure.
    static func contents(of path: String, what: String) throws -> Data {
        try checkRegularFile(path, what: what)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(reading: path, what: what, errno: errno) }
        defer { close(descriptor) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: chunk[..<count])
            } else if count == 0 {
                return data
            } else if errno != EINTR {
                throw failure(reading: path, what: what, errno: errno)
            }
        }
    }

    /// The nearest path at or above `path` that exists, and whether it is a folder: where a
    /// folder made with its parents would start ("" for a relative path none of whose folders
    /// exist yet: the current folder).
    static func nearestExisting(_ path: String) -> (path: String, isFolder: Bool) {
        var existing = path
        var isFolder: ObjCBool = false
        while !existing.isEmpty && !FileManager.default.fileExists(atPath: existing, isDirectory: &isFolder) {
            existing = PathText.parent(of: existing)
        }
        return (existing, existing.isEmpty || isFolder.boolValue)
    }

    /// Fails unless `path` names an existing regular file (following symbolic links).
    static func checkRegularFile(_ path: String, what: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else { throw failure(reading: path, what: what, errno: errno) }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw CommandFailure("cannot read \(what) \(path): it is a folder, not a file")
        default: throw CommandFailure("cannot read \(what) \(path): it is not a regular file (a device, pipe or socket)")
        }
    }

    /// A plain message for a failed read of `path`.
    static func failure(reading path: String, what: String, errno code: Int32) -> CommandFailure {
        CommandFailure("cannot read \(what) \(path): \(reason(code, path: path))")
    }

    /// A plain message for a failed write of `path`.
    static func failure(writing path: String, what: String, errno code: Int32) -> CommandFailure {
        CommandFailure("cannot write \(what) \(path): \(reason(code, path: path))")
    }

    /// Plain words for the common `errno` values; the system's text for the rest.
    static func reason(_ code: Int32, path: String) -> String {
        switch code {
        case ENOENT: "no such file or folder"
        case ENOTDIR: "a part of the path is not a folder"
        case EACCES, EPERM: "permission denied"
        case EISDIR: "it is a folder, not a file"
        case ENAMETOOLONG: "the path is too long"
        case ELOOP: "too many symbolic links"
        case ENOSPC: "no space left on the device"
        case EROFS: "the file system is read-only"
        default: String(cString: strerror(code))
        }
    }
}

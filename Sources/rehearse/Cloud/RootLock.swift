import Foundation

/// One long-running command per cloud root: `rehearse automl` and `rehearse stream` claim their
/// root for as long as they run, so that a second one on the same root is refused at once,
/// naming the first's pid, instead of both training the same weeks or splitting one topic.
///
/// The claim is an exclusive `flock` on `<root>/<command>.lock` (which holds the pid), made
/// before anything else in the root is touched; the kernel drops it when the process ends,
/// however it ends, so a killed run never leaves the root claimed.
enum RootLock {
    /// Claims `root` (created if missing) for `command` until this process ends.
    /// - Throws: `CommandFailure` naming the holder's pid when another process has the claim,
    ///   or the folder that cannot be made or the file that cannot be opened.
    static func claim(_ root: URL, for command: String) throws {
        try makeFolder(root)
        let path = root.appendingPathComponent(command + ".lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw CommandFailure("cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            throw CommandFailure("another rehearse \(command)\(holder.isEmpty ? "" : " (pid \(holder))") is running on \(root.path); "
                                 + "wait for it to end, or use another --root")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        // The descriptor stays open, and the claim held, until the process ends.
    }

    /// Makes `root` and the folders above it if missing; a path that is a file, or on the way
    /// through one, is refused naming it.
    private static func makeFolder(_ root: URL) throws {
        let existing = FileAccess.nearestExisting(root.path)
        guard existing.isFolder else {
            throw CommandFailure(existing.path == root.path ? "--root \(root.path) is a file, not a folder"
                                 : "cannot make the --root folder \(root.path): \(existing.path) is a file, not a folder")
        }
        guard existing.path != root.path else { return }
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        } catch {
            let reason = access(existing.path, W_OK | X_OK) != 0 ? "\(existing.path) is not writable" : error.localizedDescription
            throw CommandFailure("cannot make the --root folder \(root.path): \(reason)")
        }
    }
}

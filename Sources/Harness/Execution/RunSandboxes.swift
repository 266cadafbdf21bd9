import Foundation
import Glibc
import Synchronization

/// The folder one `rehearse run` puts its sandboxes in, claimed with a lock that dies with the
/// process, so that sandboxes left by a run that was killed (even with `kill -9`) are removed by
/// the next run.
///
/// Under `parent` (normally `$TMPDIR/rehearse-sandboxes-<uid>`, one per user, so users sharing
/// `/tmp` never meet each other's locks) a run owns `run-<pid>-<random>/` and
/// the lock file `run-<pid>-<random>.lock` beside it, which holds the pid (for people) and an
/// exclusive `flock` (for the sweep). The kernel drops the `flock` when the process ends, however
/// it ends, so a lock that can be taken belongs to a run that is gone — pid reuse cannot fool
/// it. A finished run removes its folder and lock file; a finished run that keeps its sandboxes
/// (`--keep`) removes only the lock file, and a folder without a lock file is never swept.
public final class RunSandboxes: Sendable {
    /// The folder this run's sandboxes go in.
    public let folder: URL
    private let lockPath: String
    /// The open lock file; closing it (or the process ending) releases the lock.
    private let lockDescriptor: Int32
    /// Whether `abandon` has begun; held while a scenario's sandbox is made (`makingSandbox`)
    /// and while `abandon` removes the folder, so the two never overlap.
    private let abandoned = Mutex(false)

    /// The default parent: `rehearse-sandboxes-<uid>` under the system temporary folder
    /// (`$TMPDIR`), private to the user.
    public static var defaultParent: URL {
        URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("rehearse-sandboxes-\(getuid())")
    }

    /// Removes the sandboxes of runs under `parent` that are no longer alive, then claims a new
    /// folder for this run.
    /// - Throws: `HarnessError.io` when the folder or its lock file cannot be made.
    public init(parent: URL = RunSandboxes.defaultParent) throws(HarnessError) {
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .io(parent.path, "cannot create the sandbox folder: \(error.localizedDescription)")
        }
        RunSandboxes.sweep(parent: parent)
        let name = "run-\(getpid())-\(UUID().uuidString.prefix(8).lowercased())"
        let lockPath = parent.appendingPathComponent(name + ".lock").path
        // Locked under a name the sweep ignores, then renamed: a sweep never sees it unlocked.
        let claimPath = parent.appendingPathComponent("." + name + ".claim").path
        let descriptor = open(claimPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(claimPath, "cannot create the lock file: \(String(cString: strerror(errno)))") }
        let pid = Array("\(getpid())\n".utf8)
        let written = pid.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0, written == pid.count, rename(claimPath, lockPath) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            unlink(claimPath)
            throw .io(lockPath, "cannot lock: \(reason)")
        }
        self.lockPath = lockPath
        self.lockDescriptor = descriptor
        self.folder = parent.appendingPathComponent(name)
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw .io(folder.path, "cannot create the sandbox folder: \(error.localizedDescription)")
        }
    }

    /// Ends the run's claim: removes the folder unless `keep`, then the lock file. Kept
    /// sandboxes stay until someone deletes them.
    public func finish(keep: Bool) {
        if !keep { removeFolder() }
        if keep || !FileManager.default.fileExists(atPath: folder.path) { unlink(lockPath) }
        close(lockDescriptor)
    }

    /// The scenario sandbox `make` makes in `folder`, made while the run is not being abandoned:
    /// `abandon` waits for a sandbox being made, and none is made after it. (Making one creates
    /// its folders, parents included: made while `abandon` removed the folder, it would bring
    /// the folder back after its lock file was gone, and nothing would ever sweep it.)
    /// - Throws: `HarnessError.io` once the run is abandoned, or what `make` throws.
    func makingSandbox(_ make: () throws -> ScenarioSandbox) throws -> ScenarioSandbox {
        try abandoned.withLock { abandoned in
            if abandoned { throw HarnessError.io(folder.path, "the run is stopping: no sandbox is made") }
            return try make()
        }
    }

    /// Removes the folder and, once it is gone, the lock file; what cannot be removed now (a
    /// scenario still writing) is swept by the next run after this process ends. After it, no
    /// sandbox is made (`makingSandbox`). Safe to call from any thread, as a signal's clean-up does.
    public func abandon() {
        abandoned.withLock { abandoned in
            abandoned = true
            removeFolder()
            if !FileManager.default.fileExists(atPath: folder.path) { unlink(lockPath) }
        }
    }

    private func removeFolder() {
        // Scenario threads may still be writing into it (a signal does not stop them), and
        // make folders again as they go. Once it is gone, an empty file of its name takes its
        // place while the removal is checked, so no folder can be made under it meanwhile; a
        // writer would have to make one in the moment between that file's removal and the
        // process's end (its lock file is removed only if the folder is gone).
        for _ in 0..<100 {
            try? FileManager.default.removeItem(at: folder)
            let placeholder = open(folder.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if placeholder >= 0 {
                close(placeholder)
                unlink(folder.path)
                return
            }
        }
    }

    /// Removes every `run-*` folder under `parent` whose lock file can be locked: its run has
    /// ended without cleaning up.
    static func sweep(parent: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        for name in names where name.hasPrefix("run-") && name.hasSuffix(".lock") {
            let lockPath = parent.appendingPathComponent(name).path
            let descriptor = open(lockPath, O_RDWR | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            defer { close(descriptor) }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { continue }  // alive
            let folder = parent.appendingPathComponent(String(name.dropLast(".lock".count)))
            try? FileManager.default.removeItem(at: folder)
            if !FileManager.default.fileExists(atPath: folder.path) { unlink(lockPath) }
        }
    }
}

import Foundation
import Synchronization

/// One run of a user's command as a child process: in a process group of its own, standard
/// input from `/dev/null`, standard output and error into files, and a wall-clock timeout after
/// which the whole group is killed. When the command ends, whatever it left running in its
/// group is killed too, so no stray process outlives its step.
public struct CommandProcess {
    /// How a run ended.
    enum Ending: Sendable, Equatable {
        /// It exited with this status.
        case exited(Int32)
        /// A signal ended it (not the harness's timeout kill).
        case signalled(Int32)
        /// It outlived its timeout; its process group was killed.
        case timedOut(Duration)

        /// Whether it exited with status 0.
        var succeeded: Bool { self == .exited(0) }
    }

    /// Starts `argv` in `directory` with exactly `environment`, writing its output to
    /// `stdoutPath` and `stderrPath`, and waits for it to end (at most `timeout`).
    /// - Throws: `ExecError.cannotStart` when the program cannot be started (not found, not
    ///   executable), naming it.
    static func run(argv: [String], directory: String, environment: [String: String], stdoutPath: String, stderrPath: String,
                    timeout: Duration) throws(ExecError) -> Ending {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        addChangeDirectory(&actions, directory)
        // A group of its own (pgid = its pid), so a timeout can kill what it started as well.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        let program = Self.resolve(argv[0], path: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
        let arguments = argv.map { strdup($0) } + [nil]
        let variables = environment.keys.sorted().map { strdup("\($0)=\(environment[$0]!)") } + [nil]
        defer {
            arguments.forEach { free($0) }
            variables.forEach { free($0) }
        }
        var spawned: pid_t = 0
        let started = posix_spawn(&spawned, program, &actions, &attributes, arguments, variables)
        let pid = spawned
        guard started == 0 else {
            throw .cannotStart(program: argv[0], reason: String(cString: strerror(started)))
        }
        live.withLock { _ = $0.insert(pid) }
        defer { live.withLock { _ = $0.remove(pid) } }

        let status = Mutex<Int32?>(nil)
        let ended = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
            status.withLock { $0 = raw }
            ended.signal()
        }
        var timedOut = false
        if ended.wait(timeout: .now() + timeout.seconds) == .timedOut {
            timedOut = true
            kill(-pid, SIGKILL)
            ended.wait()
        }
        // Whatever it left running in its group goes with it.
        kill(-pid, SIGKILL)
        if timedOut { return .timedOut(timeout) }
        let raw = status.withLock { $0 } ?? 0
        let signal = raw & 0x7f
        return signal == 0 ? .exited((raw >> 8) & 0xff) : .signalled(signal)
    }

    /// The program's path: as given when it has a `/`, else the first executable match on `path`
    /// (the command's own `PATH`), else the name as given (so the start fails naming it).
    private static func resolve(_ program: String, path: String) -> String {
        guard !program.contains("/") else { return program }
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(program)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return program
    }

    /// glibc's (2.29 and later) `posix_spawn_file_actions_addchdir_np`, which Glibc's Swift
    /// module does not export: the child changes to `path` before it executes the program.
    @_silgen_name("posix_spawn_file_actions_addchdir_np")
    @discardableResult
    private static func addChangeDirectory(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>) -> Int32

    /// The process groups of commands running now.
    private static let live = Mutex<Set<pid_t>>([])

    /// Kills every running command's process group: for a run stopped by a signal, which must
    /// not leave the user's processes behind. Takes a lock, like `ServiceProcess.killAll()`.
    public static func killAll() {
        for pid in live.withLock({ $0 }) { kill(-pid, SIGKILL) }
    }
}

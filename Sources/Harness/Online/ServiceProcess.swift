import Foundation
import Synchronization

/// A `rehearse serve` child process: started on port 0, ready once it prints its
/// `listening on http://127.0.0.1:PORT` line, stopped by a signal to its own pid — or, if this
/// process dies first (even by SIGKILL), by the end of its standard input.
///
/// Its standard error (the service's log) goes to a file beside the sandbox, which errors quote
/// the end of and `rehearse run --keep` keeps.
public final class ServiceProcess: Sendable {
    /// The service's root URL, `http://127.0.0.1:PORT`.
    let url: String
    /// Where the service's log is written.
    let logPath: String
    private let process: Process
    /// The write end of the service's standard input, never written: when this process exits,
    /// however it ends, the service reads end of file and drains (`--stop-at-stdin-eof`).
    private let lifeline: FileHandle

    /// How long a service may take to print its listening line.
    static let startTimeout: Duration = .seconds(60)

    /// Starts `executable serve arguments…` and waits for its listening line.
    /// - Throws: `OnlineError.serviceDidNotStart` with the exit status and the end of its log.
    init(executable: URL, arguments: [String], logPath: String) throws {
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let output = Pipe()
        let input = Pipe()
        // Close-on-exec, so that neither this service nor any later child holds the lifeline.
        _ = fcntl(input.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve", "--stop-at-stdin-eof"] + arguments
        process.standardOutput = output
        process.standardError = log
        process.standardInput = input
        try process.run()
        lifeline = input.fileHandleForWriting
        try? log.close()
        Self.live.withLock { _ = $0.insert(process.processIdentifier) }
        self.process = process
        self.logPath = logPath

        let found = Mutex<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        let reader = output.fileHandleForReading
        Thread.detachNewThread {
            // Reads lines until the listening line, then keeps draining so the pipe never fills.
            var pending: [UInt8] = []
            var signalled = false
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                guard !signalled else { continue }
                pending += chunk
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[..<newline], as: UTF8.self)
                    pending.removeSubrange(...newline)
                    if let range = line.range(of: "listening on ") {
                        found.withLock { $0 = String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces) }
                        signalled = true
                        done.signal()
                        break
                    }
                }
            }
            if !signalled { done.signal() }
        }
        let seconds = Double(Self.startTimeout.components.seconds)
        if done.wait(timeout: .now() + seconds) == .timedOut { process.terminate() }
        guard let url = found.withLock({ $0 }) else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            Self.live.withLock { _ = $0.remove(process.processIdentifier) }
            throw OnlineError.serviceDidNotStart(status: process.terminationStatus, log: Self.tail(of: logPath))
        }
        self.url = url
    }

    /// The process id.
    var pid: Int32 { process.processIdentifier }

    /// Whether it is still running.
    var isRunning: Bool { process.isRunning }

    /// The pids of services started and not yet seen to exit.
    private static let live = Mutex<Set<Int32>>([])

    /// Kills every service this process started that is still running: for a run stopped by a
    /// signal, which must not leave servers behind. Safe to call from a signal-handling context
    /// that may still take locks (a dispatch source).
    public static func killAll() {
        for pid in live.withLock({ $0 }) { kill(pid, SIGKILL) }
    }

    /// Sends SIGTERM (the service drains), then waits for it to exit; after `deadline` it is killed.
    /// - Returns: the exit status, or `nil` if it had to be killed.
    @discardableResult
    func drain(deadline: Duration) -> Int32? {
        let process = self.process
        defer { Self.live.withLock { _ = $0.remove(process.processIdentifier) } }
        guard process.isRunning else { return Self.status(of: process) }
        kill(process.processIdentifier, SIGTERM)
        let exited = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            process.waitUntilExit()
            exited.signal()
        }
        if exited.wait(timeout: .now() + Double(deadline.components.seconds) + 5) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return Self.status(of: process)
    }

    /// An ended process's exit status, or 128 + the signal that ended it, as a shell says.
    private static func status(of process: Process) -> Int32 {
        process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
    }

    /// The last lines of the service's log, for error messages.
    static func tail(of path: String, lines: Int = 12) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: true).suffix(lines).joined(separator: "\n")
    }
}

import Foundation
import Synchronization

/// A `rehearse stream-worker` child process that leases one batch, says so on standard output
/// (`holding N`), and waits: the moment a rehearsal kills it with SIGKILL, as a crash would.
struct WorkerProcess {
    private let process: Process

    /// Starts `executable stream-worker arguments…` and waits for its `holding` line.
    /// - Throws: `StreamingError.nothingToLease` when it found nothing to lease on
    ///   `subscription`, else `StreamingError.workerDidNotPause` with its status and the end of
    ///   its log.
    init(executable: URL, arguments: [String], subscription: String, logPath: String) throws {
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let output = Pipe()
        let input = Pipe()
        let process = Process()
        process.executableURL = executable
        process.arguments = ["stream-worker"] + arguments
        process.standardOutput = output
        process.standardError = log
        process.standardInput = input
        try process.run()
        try? log.close()
        self.process = process
        // Reads until the `holding` line (or the end of the output).
        var pending: [UInt8] = []
        var holding = false
        let reader = output.fileHandleForReading
        while !holding {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            pending += chunk
            holding = String(decoding: pending, as: UTF8.self).split(separator: "\n").contains { $0.hasPrefix("holding ") }
        }
        guard holding else {
            process.waitUntilExit()
            // `rehearse stream-worker` exits 4 when there is nothing to pull.
            if process.terminationReason == .exit && process.terminationStatus == 4 {
                throw StreamingError.nothingToLease(subscription: subscription)
            }
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw StreamingError.workerDidNotPause(status: process.terminationStatus, log: String(text.suffix(2000)))
        }
    }

    /// Kills the worker with SIGKILL and waits for it to end.
    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

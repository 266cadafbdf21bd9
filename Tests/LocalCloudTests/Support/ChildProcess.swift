import Foundation
import TestSupport

/// A `cloud-worker` child process with its stdin and stdout connected, for tests that kill or
/// race real processes. Lines are read with blocking reads, so tests wait for explicit progress
/// ("ready", "put 3") instead of sleeping.
final class ChildProcess {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer: [UInt8] = []

    /// Starts `cloud-worker` with `arguments`. A watchdog kills it after `limit`, so a hung
    /// child fails the test (its output ends) instead of hanging the suite.
    init(_ arguments: [String], limit: DispatchTimeInterval = .seconds(120)) throws {
        process.executableURL = try Self.workerURL()
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let pid = process.processIdentifier
        let running = process
        DispatchQueue.global().asyncAfter(deadline: .now() + limit) {
            if running.isRunning { _ = Glibc.kill(pid, SIGKILL) }
        }
    }

    var pid: Int32 { process.processIdentifier }

    /// The next line of output, or nil at end of output.
    func readLine() -> String? {
        let descriptor = output.fileHandleForReading.fileDescriptor
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = read(descriptor, &chunk, chunk.count)
            if count <= 0 { return nil }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    /// Reads lines until one satisfies `predicate`; false if the output ends first.
    func waitForLine(where predicate: (String) -> Bool) -> Bool {
        while let line = readLine() { if predicate(line) { return true } }
        return false
    }

    func send(_ line: String) {
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    /// Kills the process with SIGKILL and reaps it.
    func kill() {
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Waits for the process to exit and returns its status.
    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The `cloud-worker` executable built beside the test bundle.
    static func workerURL() throws -> URL { try builtExecutable("cloud-worker") }
}

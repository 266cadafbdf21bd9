import Foundation
import Testing

#if canImport(Glibc)
import Glibc
import TestSupport
#endif

/// `rehearse run --target NAME=URL` sends a service's steps to one that is already running, and
/// the goldens are compared as usual: proven against a second `rehearse serve` process (a
/// "staging deployment" of the same registry, which must pass the very goldens the harness's
/// own child passes) and against an independent V2 server written in Python (which passes its
/// own goldens and fails Rehearsal's, so the comparison is real). Every server is a child
/// process on 127.0.0.1, port 0, stopped by its own pid.
@Suite(.serialized) struct OnlineTargetTests {
    private let scenario = "Tests/scenarios/online-tiny.yaml"

    @Test func aRunningRehearseServeIsATargetThatPassesTheSameGoldens() throws {
        let folder = try TemporaryFolder()
        let temporary = folder.path + "/tmp"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        // A first run starts its own service, passes, and keeps its sandbox: the registry the
        // "deployed" service will serve from.
        let first = try runRehearse(["run", scenario, "--golden", "Tests/scenarios/golden", "--keep"], temporary: temporary)
        #expect(first.status == 0, "\(first.output)")
        let kept = try #require(first.output.split(separator: "\n").compactMap { line in
            line.range(of: "kept sandbox of online-tiny: ").map { String(line[$0.upperBound...]) }
        }.first)
        let deployed = try ListeningProcess(executable: try rehearseURL(),
                                            arguments: ["serve", "--root", kept, "--bucket", "data", "--model", "m@live", "--port", "0"])
        defer { #expect(deployed.stop() == 0) }
        let second = try runRehearse(["run", scenario, "--golden", "Tests/scenarios/golden", "--target", "api=\(deployed.url)"],
                                     temporary: temporary)
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains("1 passed, 0 failed"))
    }

    @Test(.enabled(if: python3 != nil, "python3 is not installed (scripts/setup installs it)"))
    func anIndependentV2ServerPassesItsOwnGoldensAndFailsRehearsals() throws {
        let folder = try TemporaryFolder()
        let temporary = folder.path + "/tmp"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        let server = try ListeningProcess(executable: URL(fileURLWithPath: python3!),
                                          arguments: [repositoryRoot + "/Tests/Fixtures/v2-echo-server.py", "m"])
        // SIGKILL: a child of this process starts with SIGTERM blocked (libdispatch reads
        // signals through a signalfd), and Python's server does not unblock it.
        defer { _ = server.stop(signal: SIGKILL) }
        let own = try runRehearse(["run", scenario, "--golden", "Tests/scenarios/golden/v2-echo-server", "--target", "api=\(server.url)"],
                                  temporary: temporary)
        #expect(own.status == 0, "\(own.output)")
        let rehearsals = try runRehearse(["run", scenario, "--golden", "Tests/scenarios/golden", "--target", "api=\(server.url)"],
                                         temporary: temporary)
        #expect(rehearsals.status == 1, "\(rehearsals.output)")
        // It answers its own way: another error text for a malformed body, and its own "model".
        #expect(rehearsals.output.contains("+{\"body\":{\"error\":\"malformed JSON: Expecting value"))
    }

    @Test func aTargetThatIsNotListeningFailsTheScenarioNamingIt() throws {
        let folder = try TemporaryFolder()
        let temporary = folder.path + "/tmp"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        let url = "http://127.0.0.1:\(try unusedPort())"
        let run = try runRehearse(["run", scenario, "--golden", "Tests/scenarios/golden", "--target", "api=\(url)"], temporary: temporary)
        #expect(run.status == 1)
        #expect(run.output.contains("service \"api\" at \(url) is not ready"), "\(run.output)")
    }

    @Test func aMalformedTargetIsAUsageError() throws {
        let run = try runRehearse(["run", scenario, "--target", "api"], temporary: NSTemporaryDirectory())
        #expect(run.status == 2, "\(run.output)")
        #expect(run.output.contains("--target is NAME=URL"), "\(run.output)")
    }
}

/// `python3` on the PATH, if any.
let python3: String? = ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// Runs `rehearse arguments…` from the repository root under CI (nothing is written) with its
/// own $TMPDIR, and returns its exit status and everything it printed.
private func runRehearse(_ arguments: [String], temporary: String) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = try rehearseURL()
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot)
    process.environment = ProcessInfo.processInfo.environment.merging(["CI": "1", "TMPDIR": temporary + "/"]) { $1 }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A free TCP port on 127.0.0.1 (bound, read, and closed again): nothing listens there.
private func unusedPort() throws -> Int {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
    }
    guard bound else { throw CocoaError(.fileReadUnknown) }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A server child process that prints `listening on URL` once it accepts connections.
private final class ListeningProcess {
    let url: String
    private let process = Process()

    /// Starts it and reads its listening line (the child's stdout ends if it dies first).
    init(executable: URL, arguments: [String]) throws {
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var buffer: [UInt8] = []
        while !buffer.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer += chunk
        }
        let line = String(decoding: buffer, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        guard let range = line.range(of: "listening on ") else {
            process.terminate()
            process.waitUntilExit()
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "no listening line from \(executable.path): \(line)"])
        }
        url = String(line[range.upperBound...])
    }

    /// Sends `signal` (SIGTERM: `rehearse serve` drains) to its pid; waits for it and returns
    /// its exit status.
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

import Foundation
import Testing

/// A Python server from Tests/Fixtures, run as a child process for one test: it listens on a
/// free port of 127.0.0.1, and the test waits for its `listening on URL` line instead of sleeping.
/// Tests stop it with `defer { server.stop() }`: an object's lifetime may end at its last use,
/// so `deinit` alone could kill the server before the test's last request.
final class FixtureServer {
    /// `http://127.0.0.1:PORT`, as the server printed it.
    let baseURL: String
    private let process: Process

    /// Starts `Tests/Fixtures/<script>` and reads its listening line. A watchdog kills the server
    /// after `limit`, so a hung test fails instead of hanging the suite.
    init(_ script: String, arguments: [String] = [], limit: DispatchTimeInterval = .seconds(120)) throws {
        guard let python = Python.executable else { throw FixtureError("python3 is not on PATH") }
        process = Process()
        process.executableURL = python
        process.arguments = [Self.fixtures.appendingPathComponent(script).path] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let pid = process.processIdentifier
        let running = process
        DispatchQueue.global().asyncAfter(deadline: .now() + limit) {
            if running.isRunning { _ = kill(pid, SIGKILL) }
        }
        let line = Self.readLine(output.fileHandleForReading.fileDescriptor)
        let prefix = "listening on "
        guard let line, line.hasPrefix(prefix) else {
            _ = kill(pid, SIGKILL)
            process.waitUntilExit()
            throw FixtureError("\(script) did not print its listening line (got \(line.map { "\"\($0)\"" } ?? "end of output"))")
        }
        baseURL = String(line.dropFirst(prefix.count))
    }

    deinit { stop() }

    /// `baseURL` followed by `path`.
    func url(_ path: String) -> String { baseURL + path }

    /// Kills the server by its pid and waits for it to exit.
    func stop() {
        guard process.isRunning else { return }
        _ = kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Bytes up to the first newline (blocking), or nil if the output ends first.
    private static func readLine(_ descriptor: Int32) -> String? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(descriptor, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
        return nil
    }

    private static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
}

/// The `python3` on PATH, which runs the fixture servers (`scripts/setup` installs it).
enum Python {
    static let executable: URL? = (ProcessInfo.processInfo.environment["PATH"] ?? "")
        .split(separator: ":")
        .map { URL(fileURLWithPath: String($0)).appendingPathComponent("python3") }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }

    static var isAvailable: Bool { executable != nil }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A port on 127.0.0.1 that nothing listens on: bound to find a free one, then closed.
func unusedPort() throws -> Int {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { throw FixtureError("socket failed: errno \(errno)") }
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
            bind(socket, generic, length) == 0 && getsockname(socket, generic, &length) == 0
        }
    }
    guard bound else { throw FixtureError("bind failed: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}

extension Trait where Self == ConditionTrait {
    /// Skips a test that runs a fixture server when python3 is missing, saying so.
    static var needsPython: Self { .enabled(if: Python.isAvailable, "python3 is not installed (scripts/setup installs it)") }
}

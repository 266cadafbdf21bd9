import Crypto
import Foundation
import JSON
import LocalCloud
import Testing
import TestSupport

/// `rehearse cloud serve` as a child process on port 0, driven by boto3 (a real AWS client) as a
/// user's own code would drive it; what it wrote is then read straight from the cloud folder.
@Suite(.enabled(if: Boto3.isInstalled, "boto3 is not installed for python3 (scripts/setup installs it)"))
struct CloudServeCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    @Test("boto3 puts, lists, multipart-uploads, presigns and queues through it; the folder holds what it wrote")
    func boto3Flow() async throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("cloud-serve-\(UUID().uuidString)")
        let work = root.appendingPathExtension("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(at: root)
            try? FileManager.default.removeItem(at: work)
        }
        let server = try ChildProcess(try rehearseURL(), ["cloud", "serve", "--root", root.path, "--port", "0",
                                                          "--start", "2026-03-02T09:00:00Z"])
        // Blocking waits run on threads of their own (`onThread`), not on the cooperative pool.
        let line = try await onThread { server.firstLine() }
        let url = try #require(line.wholeMatch(of: /listening on (http:\/\/127\.0\.0\.1:[0-9]+)/)?.1, "\(line)")
        let flow = try ChildProcess(URL(fileURLWithPath: "/usr/bin/env"),
                                    ["python3", Self.fixtures.appendingPathComponent("wire-boto3-flow.py").path, String(url), work.path])
        let (status, output, errors) = try await onThread { flow.finish() }
        let (serverStatus, _, serverErrors) = try await onThread { server.stop() }
        #expect(status == 0, "\(errors)")
        #expect(serverStatus == 0, "\(serverErrors)")
        let seen = try JSONParser.parse(output.trimmingCharacters(in: .whitespacesAndNewlines))
        let expected: JSONValue = [
            "get": "id,text\n1,good\n", "keys": ["tweets/day 1.csv"], "big_round_trip": true,
            "presigned": "id,text\n1,good\n", "missing": ["NoSuchKey", 404], "wrong_secret": "SignatureDoesNotMatch",
            "message": [#"{"rows": 1}"#, "score"], "missing_queue": "AWS.SimpleQueueService.NonExistentQueue",
            "clock": "2026-03-02T10:00:00Z",
        ]
        guard case .object(var members) = seen else { Issue.record("not an object: \(output)"); return }
        let etag = members.removeValue(forKey: "big_etag")
        #expect(JSONValue.object(members) == expected)
        #expect(etag == .string("\"\(Self.multipartETag(partSizes: [8 * 1024 * 1024, 1024 * 1024]))\""))

        let store = try DirectoryObjectStore(inspecting: root)
        let object = try store.get(bucket: "data", key: "tweets/day 1.csv")
        #expect(object.data == Data("id,text\n1,good\n".utf8) && object.metadata.userMetadata == ["source": "flow"])
        #expect(try store.head(bucket: "data", key: "big.bin").size == 9 * 1024 * 1024)
        #expect(try CloudSandbox.savedClockReading(root) == Instant(iso8601: "2026-03-02T10:00:00Z"))
    }

    /// The ETag S3 gives the fixture's 9 MiB file uploaded in boto3's 8 MiB parts.
    static func multipartETag(partSizes: [Int]) -> String {
        let bytes = Data((0..<(partSizes.reduce(0, +))).map { UInt8($0 % 256) })
        var offset = 0
        var digests = Data()
        for size in partSizes {
            digests.append(contentsOf: Insecure.MD5.hash(data: bytes[offset..<(offset + size)]))
            offset += size
        }
        return Insecure.MD5.hash(data: digests).map { String(format: "%02x", $0) }.joined() + "-\(partSizes.count)"
    }
}

/// Whether python3 can import boto3.
enum Boto3 {
    static let isInstalled: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import boto3"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()
}

/// A child process with its output piped, killed (SIGKILL) by a watchdog if a test leaves it running.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()
    private let errors = Pipe()

    init(_ executable: URL, _ arguments: [String]) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let pid = process.processIdentifier, running = process
        DispatchQueue.global().asyncAfter(deadline: .now() + 120) { if running.isRunning { kill(pid, SIGKILL) } }
    }

    /// The first line of standard output (read byte by byte, so nothing after it is consumed).
    func firstLine() -> String {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(output.fileHandleForReading.fileDescriptor, &byte, 1) == 1, byte != UInt8(ascii: "\n") { line.append(byte) }
        return String(decoding: line, as: UTF8.self)
    }

    /// Waits for the process to exit by itself.
    func finish() -> (status: Int32, output: String, errors: String) {
        let errorText = errors.fileHandleForReading.readDataToEndOfFile()
        let outputText = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputText, as: UTF8.self), String(decoding: errorText, as: UTF8.self))
    }

    /// Sends SIGTERM (by pid) and waits for the exit.
    func stop() -> (status: Int32, output: String, errors: String) {
        kill(process.processIdentifier, SIGTERM)
        return finish()
    }
}

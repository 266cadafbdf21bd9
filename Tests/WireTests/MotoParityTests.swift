import Foundation
import JSON
import Testing

#if canImport(Glibc)
import Glibc
import TestSupport
#endif

/// The differential parity test: one fixed sequence of boto3 calls (and an `aws s3 cp` / `aws s3
/// sync` round trip), Tests/Fixtures/wire-moto-differential.py, run against `moto_server` (moto 5,
/// the reference emulator) and against `rehearse cloud serve`, compared record by record after
/// normalisation. Every call whose record differs must be one of `MotoParity.documented` — the
/// differences docs/wire.md lists under "Differences from moto" — so a new difference and a fixed
/// one both fail the test.
@Suite(.enabled(if: MotoParity.isInstalled, "boto3, moto_server and the aws CLI are needed (scripts/setup installs them)"))
struct MotoParityTests {
    @Test("the differential sequence answers as moto does, but for the documented differences", .timeLimit(.minutes(1)))
    func sameAnswersAsMoto() async throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("moto-parity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }

        let moto = try MotoServer(log: base.appendingPathComponent("moto.log"))
        defer { moto.stop() }
        let server = try ChildProcess(try rehearseURL(), ["cloud", "serve", "--root", base.appendingPathComponent("root").path,
                                                          "--port", "0"])
        defer { if server.process.isRunning { _ = server.stop() } }
        // Blocking waits run on threads of their own (`onThread`), not on the cooperative pool.
        let line = try await onThread { server.firstLine() }
        let ours = try #require(line.wholeMatch(of: /listening on (http:\/\/127\.0\.0\.1:[0-9]+)/)?.1, "\(line)")
        try await onThread { try moto.waitUntilReady() }

        let motoURL = moto.url, ourURL = String(ours)
        let reference = try await onThread { try MotoParity.run(url: motoURL, work: base.appendingPathComponent("moto-work")) }
        let candidate = try await onThread { try MotoParity.run(url: ourURL, work: base.appendingPathComponent("ours-work")) }
        let (serverStatus, _, serverErrors) = try await onThread { server.stop() }
        #expect(reference.status == 0, "the sequence failed against moto: \(reference.errors)")
        #expect(candidate.status == 0, "the sequence failed against rehearse cloud serve: \(candidate.errors)")
        #expect(serverStatus == 0, "\(serverErrors)")

        let motoRecords = try reference.records()
        let ourRecords = try candidate.records()
        #expect(motoRecords.map(\.label) == ourRecords.map(\.label), "the two runs made different sequences of calls")
        let total = min(motoRecords.count, ourRecords.count)
        #expect(total >= 80, "the sequence has only \(total) calls")
        var differing: [String] = []
        for (theirs, mine) in zip(motoRecords, ourRecords) where theirs.value != mine.value {
            differing.append(mine.label)
            if MotoParity.documented[mine.label] == nil {
                print("moto parity: \(mine.label) differs\n  moto:    \(theirs.value.canonicalText)\n  rehearse: \(mine.value.canonicalText)")
            }
        }
        let identical = total - differing.count
        print("moto parity: \(identical)/\(total) identical (\(differing.count) documented differences)")
        #expect(Set(differing) == Set(MotoParity.documented.keys),
                "new: \(Set(differing).subtracting(MotoParity.documented.keys).sorted()); no longer different: \(Set(MotoParity.documented.keys).subtracting(differing).sorted())")
        #expect(Double(identical) >= 0.95 * Double(total), "only \(identical)/\(total) identical")
    }
}

enum MotoParity {
    /// The calls whose records differ from moto's, each with the reason (as docs/wire.md lists them).
    static let documented: [String: String] = [
        "s3.put_object.bad_digest":
            "moto does not check Content-MD5 and stores the object; S3 answers 400 BadDigest, as we do",
        "s3.list_objects_v2.continuation":
            "moto does not echo the request's ContinuationToken in the answer; S3 does, as we do",
        "s3.list_object_versions":
            "moto does not echo EncodingType (boto3 asks for encoding-type=url) in ListObjectVersions' answer; S3 does, as we do",
        "s3.list_buckets.end":
            "moto lists buckets in the order they were made; S3 lists them by name, as we do",
        "sqs.receive_message.dead_letter":
            "ours: a dead-lettered message is published anew to the dead-letter queue's topic, so it has a new message id "
            + "and its ApproximateReceiveCount starts again at 1; SQS (and moto) keep the id and go on counting",
        "sqs.send_message.fifo_duplicate":
            "a send whose deduplication id was seen within 5 minutes: we answer with the id of the message already queued, "
            + "moto with a new id (of a message it never delivers)",
    ]

    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/wire-moto-differential.py")

    /// Whether python3 has boto3 and `moto_server` and `aws` are on PATH.
    static let isInstalled: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "command -v moto_server && command -v aws && python3 -c 'import boto3, moto'"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// One run of the sequence: its exit status, standard output (the records) and errors.
    struct Run: Sendable {
        var status: Int32
        var output: String
        var errors: String

        /// The records, by label.
        func records() throws -> [(label: String, value: JSONValue)] {
            try output.split(separator: "\n").map { line in
                let value = try JSONParser.parse(String(line))
                return (value["label"]?.string ?? "?", value)
            }
        }
    }

    /// Runs the sequence against `url` (its output goes to files, so no pipe can fill up).
    static func run(url: String, work: URL) throws -> Run {
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let outputFile = work.appendingPathComponent("records.jsonl"), errorFile = work.appendingPathComponent("errors.txt")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", fixture.path, url, work.path]
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let pid = process.processIdentifier, running = process
        DispatchQueue.global().asyncAfter(deadline: .now() + 50) { if running.isRunning { kill(pid, SIGKILL) } }
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: try String(contentsOf: outputFile, encoding: .utf8),
                   errors: try String(contentsOf: errorFile, encoding: .utf8))
    }

    /// A free TCP port on 127.0.0.1 (bound to port 0, read back, released).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(descriptor) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw POSIXError(.EADDRNOTAVAIL) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}

/// `moto_server` on 127.0.0.1 at a free port, its output in a log file; killed by its pid.
final class MotoServer: @unchecked Sendable {
    let process = Process()
    let port: Int
    let log: URL
    var url: String { "http://127.0.0.1:\(port)" }

    init(log: URL) throws {
        port = try MotoParity.freePort()
        self.log = log
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["moto_server", "-H", "127.0.0.1", "-p", String(port)]
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let pid = process.processIdentifier, running = process
        DispatchQueue.global().asyncAfter(deadline: .now() + 120) { if running.isRunning { kill(pid, SIGKILL) } }
    }

    /// Polls its port (every 50 ms, for at most 20 s) until it accepts a connection: Werkzeug
    /// listens only once the app is loaded, so it then answers HTTP.
    func waitUntilReady() throws {
        let deadline = Date().addingTimeInterval(20)
        while !MotoParity.accepts(port: port) {
            guard process.isRunning else {
                throw MotoFailure("moto_server exited (\(process.terminationStatus)): \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            }
            guard Date() < deadline else { throw MotoFailure("moto_server did not listen on port \(port) within 20 s") }
            usleep(50_000)
        }
    }

    /// SIGKILL by pid, then waits for the exit. moto keeps nothing worth a graceful stop, and a
    /// child of the test runner may inherit SIGTERM ignored (Python then keeps it ignored).
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

struct MotoFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

import Foundation
import LocalCloud
import ModelCore
import Modes
import Testing
import TestSupport

/// Several `rehearse batch --model-file M` processes started at the same instant on a new cloud
/// root: the artifact is registered once, the alias points at that one version, the committed
/// manifest names it too, and every process succeeds.
@Suite struct RegistrationRaceTests {
    static let processes = 4
    /// A fixed count, not a time budget, so a slow machine tests exactly as much as a fast one.
    static let rounds = 6

    @Test func racingModelFileRegistrationsMakeOneVersionThatTheAliasAndTheManifestName() throws {
        let artifact = NSTemporaryDirectory() + "race-model-\(UUID().uuidString).rmodel"
        defer { try? FileManager.default.removeItem(atPath: artifact) }
        let model = try TinyData.model()
        try Data(model.artifactBytes).write(to: URL(fileURLWithPath: artifact))
        for round in 0..<Self.rounds {
            try race(round: round, artifact: artifact, modelID: model.modelID)
        }
    }

    private func race(round: Int, artifact: String, modelID: String) throws {
        let fixture = try StoreFixture()  // a new root: inputs only, an empty registry
        try fixture.put(TinyData.csv(rows: 50, seed: UInt64(round)), "in/a.csv")
        let arguments = ["batch", "--root", fixture.root.path, "--bucket", "data", "--input", "in/", "--output", "out/",
                         "--model", "m@production", "--model-file", artifact, "--progress", "never"]
        let results = try Self.startTogether(count: Self.processes, arguments: arguments)

        for result in results {
            if result.standardError.contains("database is locked") {
                Issue.record("""
                    round \(round): a process hit SQLite's lock while opening the new root (the first-open race \
                    that LocalCloud's schema preparation prevents): \(result.standardError)
                    """)
            }
            #expect(result.status == 0, "round \(round): exit \(result.status): \(result.standardError)")
        }
        let registry = ModelRegistry(store: fixture.store, bucket: "data")
        #expect(try registry.versions(name: "m") == [1], "round \(round): the artifact was registered more than once")
        let alias = try registry.resolve(name: "m", aliasOrVersion: "production")
        let manifest = try BatchManifest(fileData: fixture.store.get(bucket: "data", key: "out/_MANIFEST.json").data)
        #expect(manifest.model.version == alias.version, "round \(round): the alias and the manifest name different versions")
        #expect(manifest.model.id == modelID && alias.model.modelID == modelID)
        #expect(results.filter { $0.standardError.contains("registered \(artifact) as m version 1") }.count == 1,
                "round \(round): exactly one process registers the file")
    }

    /// What one process printed and how it ended.
    struct Finished {
        let status: Int32
        let standardError: String
    }

    /// Starts `count` `rehearse` processes that each wait on one shared pipe before `exec`ing,
    /// then releases them all at once by writing one line per process: a barrier, not a sleep.
    static func startTogether(count: Int, arguments: [String]) throws -> [Finished] {
        // A raw pipe: Foundation closes a `Pipe`'s read end in this process after the first
        // child starts, and every child needs it. The write end is close-on-exec.
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw POSIXError(.EMFILE) }
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        let gateReader = FileHandle(fileDescriptor: ends[0], closeOnDealloc: true)
        let gateWriter = FileHandle(fileDescriptor: ends[1], closeOnDealloc: true)
        let executable = try rehearseURL().path
        var running: [(process: Process, errors: Pipe)] = []
        for _ in 0..<count {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            // `read` takes one line from the shared gate; then the shell becomes rehearse.
            process.arguments = ["-c", "read go; exec \"$0\" \"$@\" </dev/null", executable] + arguments
            process.standardInput = gateReader
            process.standardOutput = FileHandle.nullDevice
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            running.append((process, errors))
        }
        try gateWriter.write(contentsOf: Data(String(repeating: "go\n", count: count).utf8))
        try gateWriter.close()
        try gateReader.close()
        return running.map { process, errors in
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return Finished(status: process.terminationStatus, standardError: text)
        }
    }
}

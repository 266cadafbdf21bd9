import Foundation
import LocalCloud
import Modes
import Testing

/// A real `rehearse batch` process killed with SIGKILL in the middle of a job leaves no manifest,
/// and running the job again completes it.
@Suite struct KilledProcessTests {
    @Test func aKilledBatchProcessLeavesNoManifestAndARerunCompletesIt() throws {
        let fixture = try StoreFixture()
        let registry = ModelRegistry(store: fixture.store, bucket: "data")
        try registry.setAlias("production", name: "m", version: try registry.register(try TinyData.model(), name: "m"))
        let rows = 200_000
        try fixture.put(TinyData.csv(rows: rows), "in/big.csv")

        let process = Process()
        process.executableURL = try rehearseURL()
        process.arguments = ["batch", "--root", fixture.root.path, "--bucket", "data", "--input", "in/", "--output", "out/",
                             "--model", "m@production", "--shard-rows", "1000", "--threads", "1", "--progress", "lines"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        // Wait for the first progress line: the job is predicting, far from done.
        var seen: [UInt8] = []
        while !seen.contains(UInt8(ascii: "\n")) {
            let chunk = errors.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            seen += chunk
        }
        #expect(String(decoding: seen, as: UTF8.self).hasPrefix("predicted "))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        #expect(throws: ObjectStoreError.self) { try fixture.store.head(bucket: "data", key: "out/_MANIFEST.json") }
        let spec = BatchJobSpec(name: "batch", bucket: "data", inputPrefix: "in/", outputPrefix: "out/",
                                model: ModelReference("m@production")!, shardRows: 1000)
        let summary = try BatchJob(store: fixture.store, spec: spec).run()
        #expect(summary.rows == rows)
        let manifest = try BatchManifest(fileData: fixture.store.get(bucket: "data", key: "out/_MANIFEST.json").data)
        #expect(manifest.shards.count == rows / 1000)
        let keys = try fixture.keys(under: "out/")
        #expect(keys.allSatisfy { $0 == "out/_MANIFEST.json" || $0.hasPrefix("out/\(manifest.run)/") })
    }
}

import Foundation
import LocalCloud
import Modes
import Testing

/// `rehearse batch --model-file` as a user runs it: the artifact is registered once, only for a
/// job that can run, and only under an alias.
@Suite struct BatchCommandTests {
    private func rehearse(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = try rehearseURL()
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func aModelFileIsRegisteredOnceOnlyForARunnableJobAndOnlyUnderAnAlias() throws {
        let fixture = try StoreFixture()
        let artifact = fixture.root.path + "-model.rmodel"
        defer { try? FileManager.default.removeItem(atPath: artifact) }
        try Data(try TinyData.model().artifactBytes).write(to: URL(fileURLWithPath: artifact))
        let base = ["batch", "--root", fixture.root.path, "--bucket", "data", "--input", "in/", "--output", "out/",
                    "--model-file", artifact, "--progress", "never"]
        let registry = ModelRegistry(store: fixture.store, bucket: "data")

        #expect(try rehearse(base + ["--model", "m@production"]) == 1)  // no inputs yet
        #expect(try registry.versions(name: "m").isEmpty)
        #expect(try rehearse(base + ["--model", "m@1"]) == 2)  // a version number cannot name the file
        try fixture.put(TinyData.csv(rows: 20), "in/a.csv")
        #expect(try rehearse(base + ["--model", "m@production"]) == 0)
        #expect(try rehearse(base + ["--model", "m@production"]) == 0)
        #expect(try registry.versions(name: "m") == [1])
    }
}

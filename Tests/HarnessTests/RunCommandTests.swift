import Foundation
import LocalCloud
import Testing
import TestSupport

/// `rehearse run` and `rehearse list` as a user runs them: exit statuses, report lines, JUnit.
/// They use the self-test scenarios (no corpus) and run under CI=1, so nothing is written.
@Suite struct RunCommandTests {
    private struct Output {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    private func rehearse(_ arguments: [String], in directory: String = repositoryRoot) throws -> Output {
        let process = Process()
        process.executableURL = try rehearseURL()
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(["CI": "1"]) { $1 }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("run-command-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: output.appendingPathExtension("out"))
            try? FileManager.default.removeItem(at: output.appendingPathExtension("err"))
        }
        #expect(FileManager.default.createFile(atPath: output.appendingPathExtension("out").path, contents: nil))
        #expect(FileManager.default.createFile(atPath: output.appendingPathExtension("err").path, contents: nil))
        process.standardOutput = try FileHandle(forWritingTo: output.appendingPathExtension("out"))
        process.standardError = try FileHandle(forWritingTo: output.appendingPathExtension("err"))
        try process.run()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      standardOutput: try String(contentsOf: output.appendingPathExtension("out"), encoding: .utf8),
                      standardError: try String(contentsOf: output.appendingPathExtension("err"), encoding: .utf8))
    }

    private let golden = ["--golden", "Tests/scenarios/golden"]

    @Test func aPassingRunExitsZero() throws {
        let result = try rehearse(["run", "Tests/scenarios/tiny-batch.yaml"] + golden)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("PASS  tiny-batch ("))
        #expect(result.standardOutput.hasSuffix("\n1 passed, 0 failed\n"))
    }

    @Test func aFailingRunExitsOneWithADiffAndAJUnitReport() throws {
        let junit = NSTemporaryDirectory() + "junit-\(UUID().uuidString).xml"
        defer { try? FileManager.default.removeItem(atPath: junit) }
        let result = try rehearse(["run", "Tests/scenarios/tiny-batch.yaml", "Tests/scenarios/changed-prediction.yaml",
                                   "--junit", junit] + golden)
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("FAIL  changed-prediction ("))
        #expect(result.standardOutput.contains("\n+{\"id\":\"7\",\"label\":\"neutral\""))
        #expect(result.standardOutput.hasSuffix("\n1 passed, 1 failed\n"))
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("tests=\"2\" failures=\"1\""))
    }

    @Test("report, JSON and JUnit paths of one character, relative to the current folder, are written there")
    func oneCharacterOutputPathsAreWritten() throws {
        let folder = try TemporaryFolder()
        let result = try rehearse(["run", repositoryRoot + "/Tests/scenarios/tiny-batch.yaml", "--golden", repositoryRoot + "/Tests/scenarios/golden",
                                   "--report", "r", "--json", "j", "--junit", "u"], in: folder.path)
        #expect(result.status == 0, "\(result.standardError)")
        for written in ["r/index.html", "j", "u"] {
            #expect(FileManager.default.fileExists(atPath: folder.path + "/" + written), "\(written)")
        }
    }

    @Test("accept, reject and review name a --golden folder that does not exist, exit 2, and make none")
    func goldenCommandsRefuseAMissingFolder() throws {
        let folder = try TemporaryFolder()
        for command in ["accept", "reject", "review"] {
            let result = try rehearse([command, "--golden", "nowhere"], in: folder.path)
            #expect(result.status == 2, "\(command): \(result.standardError)")
            #expect(result.standardError.contains("--golden nowhere: no such folder"), "\(command): \(result.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/nowhere"))
    }

    @Test func aMalformedScenarioExitsTwoNamingFileLineAndColumn() throws {
        let result = try rehearse(["run", "Tests/scenarios/malformed/undeclared-topic.yaml"] + golden)
        #expect(result.status == 2)
        #expect(result.standardError.contains("Tests/scenarios/malformed/undeclared-topic.yaml:7:14: topic \"events\" is not declared"))
        #expect(result.standardOutput.isEmpty)
    }

    @Test func listShowsNameTagsAndCaptures() throws {
        let result = try rehearse(["list", "Tests/scenarios/tiny-batch.yaml"])
        #expect(result.status == 0)
        #expect(result.standardOutput == "tiny-batch [self-test]: 2 captures — Naive Bayes on made-up data scores a JSON Lines input\n")
    }

    @Test func listSelectingNothingIsAUsageErrorAsInRun() throws {
        for command in ["list", "run"] {
            let result = try rehearse([command, "Tests/scenarios/tiny-batch.yaml", "--filter", "zzz"])
            #expect(result.status == 2, "\(command): \(result.standardError)")
            #expect(result.standardError.contains("error: no scenario matches the filters"), "\(command): \(result.standardError)")
            let empty = try rehearse([command, "Tests/scenarios/tiny-batch.yaml", "--filter", ""])
            #expect(empty.status == 2 && empty.standardError.contains("--filter needs part of a scenario name"), "\(empty.standardError)")
        }
    }

    @Test func cloudTopicsJudgesLeasesAtTheSandboxClockNotTheWallClock() throws {
        let folder = try TemporaryFolder()
        let root = URL(fileURLWithPath: folder.path)
        let clock = VirtualClock(start: Instant(iso8601: "2020-01-01T00:00:00Z")!)
        let cloud = try CloudSandbox(root: root, clock: clock)
        try cloud.queue.createTopic("events")
        try cloud.queue.createSubscription("workers", topic: "events")
        try cloud.queue.publish([OutgoingMessage(data: Data("a".utf8)), OutgoingMessage(data: Data("b".utf8))], to: "events")
        #expect(try cloud.queue.pull("workers", maxMessages: 1).count == 1)  // leased for the default deadline

        // Without a saved reading, 2020's lease has long expired by the wall clock.
        let byWallClock = try rehearse(["cloud", "topics", "--root", folder.path])
        #expect(byWallClock.status == 0)
        #expect(cell(byWallClock.standardOutput, row: ["events", "workers"], column: "BACKLOG") == "2")
        #expect(cell(byWallClock.standardOutput, row: ["events", "workers"], column: "LEASED") == "0")
        try cloud.saveClockReading()
        let atSandboxTime = try rehearse(["cloud", "topics", "--root", folder.path])
        #expect(cell(atSandboxTime.standardOutput, row: ["events", "workers"], column: "BACKLOG") == "2")
        #expect(cell(atSandboxTime.standardOutput, row: ["events", "workers"], column: "LEASED") == "1", "\(atSandboxTime.standardOutput)")

        #expect(cell(atSandboxTime.standardOutput, row: ["events", "workers"], column: "DELIVERY") == "leased")

        // An in-order subscription has a backlog but no leases, and peek shows what it has yet to commit.
        try cloud.queue.createSubscription("reader", topic: "events", options: SubscriptionOptions(delivery: .inOrder))
        let id = try cloud.queue.publish(OutgoingMessage(data: Data("c".utf8)), to: "events")
        let withReader = try rehearse(["cloud", "topics", "--root", folder.path])
        #expect(cell(withReader.standardOutput, row: ["events", "reader"], column: "DELIVERY") == "in-order")
        #expect(cell(withReader.standardOutput, row: ["events", "reader"], column: "BACKLOG") == "1")
        #expect(cell(withReader.standardOutput, row: ["events", "reader"], column: "LEASED") == "-")
        let peeked = try rehearse(["cloud", "peek", "--root", folder.path, "reader"])
        #expect(peeked.status == 0)
        #expect(peeked.standardOutput.hasPrefix("#\(id) published 2020-01-01T00:00:00Z, not yet committed\n"), "\(peeked.standardOutput)")
        // A long body is cut to its first 200 characters, or shown whole with --full.
        let long = String(repeating: "x", count: 250) + "END"
        try cloud.queue.publish(OutgoingMessage(data: Data(long.utf8)), to: "events")
        let cut = try rehearse(["cloud", "peek", "--root", folder.path, "reader"])
        #expect(cut.standardOutput.contains("  " + String(repeating: "x", count: 200) + "…\n") && !cut.standardOutput.contains("END"))
        let whole = try rehearse(["cloud", "peek", "--root", folder.path, "reader", "--full"])
        #expect(whole.standardOutput.contains("  " + long + "\n"), "\(whole.standardOutput)")
        let none = try rehearse(["cloud", "peek", "--root", folder.path, "reader", "--limit", "0"])
        #expect(none.status == 2 && none.standardError.contains("--limit must be at least 1, got 0"), "\(none.standardError)")

        try Data("yesterday\n".utf8).write(to: URL(fileURLWithPath: CloudSandbox.clockPath(root)))
        let malformed = try rehearse(["cloud", "topics", "--root", folder.path])
        #expect(malformed.status != 0)
        #expect(malformed.standardError.contains("clock.txt should hold one ISO-8601 time"))
    }

    /// The value under `column` in the table row whose first cells are `row`, found by where the
    /// header puts the column, so any padding between columns will do.
    private func cell(_ table: String, row: [String], column: String) -> String? {
        let lines = table.split(separator: "\n").map(String.init)
        guard let header = lines.first, let start = header.range(of: column)?.lowerBound else { return nil }
        let offset = header.distance(from: header.startIndex, to: start)
        guard let line = lines.first(where: { $0.split(separator: " ").prefix(row.count).map(String.init) == row }),
              line.count > offset else { return nil }
        return String(line.dropFirst(offset).prefix { $0 != " " })
    }

    @Test func keyProblemsInAScenarioAreUsageErrorsBeforeAnythingRuns() throws {
        for (file, place) in [("bad-output-key", "10:53"), ("bad-put-key", "8:30"), ("empty", "1:1")] {
            let result = try rehearse(["run", "Tests/scenarios/malformed/\(file).yaml"] + golden)
            #expect(result.status == 2, "\(file): \(result.standardError)")
            #expect(result.standardError.contains("Tests/scenarios/malformed/\(file).yaml:\(place): "), "\(result.standardError)")
            #expect(result.standardOutput.isEmpty)
        }
    }

    @Test func aShardThatIsNotKOfNIsAUsageError() throws {
        for (shard, message) in [("0/2", "--shard 0/2: K must be from 1 to 2"), ("3/2", "K must be from 1 to 2"),
                                 ("1/0", "N must be at least 1"), ("half", "\"half\" is not K/N")] {
            let result = try rehearse(["run", "Tests/scenarios/tiny-batch.yaml", "--shard", shard] + golden)
            #expect(result.status == 2, "\(shard)")
            #expect(result.standardError.contains(message), "\(result.standardError)")
            #expect(result.standardOutput.isEmpty)
        }
    }

    @Test func theShardsOfASelectionTogetherListEachScenarioOnce() throws {
        let files = ["tiny-batch", "changed-prediction", "missing-golden"].map { "Tests/scenarios/\($0).yaml" }
        var listed: [String] = []
        for index in 1...2 {
            let result = try rehearse(["list"] + files + ["--shard", "\(index)/2"])
            #expect(result.status == 0, "\(result.standardError)")
            listed += result.standardOutput.split(separator: "\n").compactMap { $0.split { $0 == " " || $0 == ":" }.first.map(String.init) }
                .filter { $0 != "No" }
        }
        #expect(listed.sorted() == ["changed-prediction", "missing-golden", "tiny-batch"])

        // A part with no scenario passes (a CI matrix may have more jobs than scenarios).
        let empty = try rehearse(["run", "Tests/scenarios/tiny-batch.yaml", "--shard", "2/2"] + golden)
        #expect(empty.status == 0, "\(empty.standardError)")
        #expect(empty.standardOutput.hasSuffix("0 passed, 0 failed\n"))
    }

    @Test func aRunOfAnotherFolderNeverJudgesTheGoldensOfScenariosItDidNotLoad() throws {
        let folder = try TemporaryFolder()
        for file in ["tiny-batch.yaml", "data/tiny-train.csv"] {
            try folder.write(try String(contentsOfFile: repositoryRoot + "/Tests/scenarios/" + file, encoding: .utf8), to: file)
        }
        // The default golden folder holds the shipped scenarios' goldens; none of them is loaded.
        let result = try rehearse(["run", folder.path, "--unreferenced", "fail"])
        #expect(!result.standardOutput.contains("unreferenced golden golden/batch-"), "\(result.standardOutput)")
        #expect(result.standardOutput.contains("tiny-batch"))
    }

    @Test func aTargetNamingNoServiceOfTheSelectedScenariosIsAUsageError() throws {
        let typo = try rehearse(["run", "Tests/scenarios/online-tiny.yaml", "--target", "API=http://127.0.0.1:9"] + golden)
        #expect(typo.status == 2)
        #expect(typo.standardError.contains("error: --target API: no selected scenario has a service named \"API\" (their services: "), "\(typo.standardError)")
        #expect(typo.standardOutput.isEmpty, "nothing ran")
        let none = try rehearse(["run", "Tests/scenarios/tiny-batch.yaml", "--target", "api=http://127.0.0.1:9"] + golden)
        #expect(none.status == 2 && none.standardError.contains("(they declare no service)"), "\(none.standardError)")
    }

    @Test func aReportFolderUnderAFileIsAUsageErrorBeforeAnythingRuns() throws {
        let folder = try TemporaryFolder()
        try folder.write("not a folder", to: "afile")
        let result = try rehearse(["run", "Tests/scenarios/tiny-batch.yaml", "--report", folder.path + "/afile/sub"] + golden)
        #expect(result.status == 2)
        #expect(result.standardError.contains("--report \(folder.path)/afile/sub: \(folder.path)/afile is a file, not a folder"), "\(result.standardError)")
        #expect(result.standardOutput.isEmpty)
    }

    @Test func aGoldenFolderThatIsAFileIsAUsageErrorBeforeAnythingRuns() throws {
        let folder = try TemporaryFolder()
        try folder.write("not a folder", to: "afile")
        let result = try rehearse(["run", "Tests/scenarios/tiny-batch.yaml", "--golden", folder.path + "/afile"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("--golden \(folder.path)/afile: \(folder.path)/afile is a file, not a folder"), "\(result.standardError)")
        #expect(result.standardOutput.isEmpty)
        #expect(try String(contentsOfFile: folder.path + "/afile", encoding: .utf8) == "not a folder")
    }

    @Test func unreferencedGoldensThatFailTheRunShowOnTheTallyAndAsAFailingJUnitCase() throws {
        let folder = try TemporaryFolder()
        for file in ["tiny-batch.yaml", "data/tiny-train.csv"] {
            try folder.write(try String(contentsOfFile: repositoryRoot + "/Tests/scenarios/" + file, encoding: .utf8), to: "scenarios/" + file)
        }
        for file in ["_header.json", "manifest.jsonl", "predictions.jsonl"] {
            try folder.write(try String(contentsOfFile: repositoryRoot + "/Tests/scenarios/golden/tiny-batch/" + file, encoding: .utf8),
                             to: "golden/tiny-batch/" + file)
        }
        try folder.write("{}\n", to: "golden/ghost/x.jsonl")
        let junit = folder.path + "/junit.xml"
        let result = try rehearse(["run", folder.path + "/scenarios", "--golden", folder.path + "/golden", "--junit", junit])
        #expect(result.status == 1)
        #expect(result.standardOutput.hasSuffix("\n1 passed, 0 failed; 1 unreferenced golden file fails the run\n"), "\(result.standardOutput)")
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("tests=\"2\" failures=\"1\"") && xml.contains("<testcase name=\"unreferenced goldens\""), "\(xml)")
        #expect(xml.contains("ghost/x.jsonl (fails the run)"))
    }

    @Test func aFolderRunWithTheDefaultGoldenFolderNamedJudgesOnlyItsOwnScenarios() throws {
        let folder = try TemporaryFolder()
        for file in ["tiny-batch.yaml", "data/tiny-train.csv"] {
            try folder.write(try String(contentsOfFile: repositoryRoot + "/Tests/scenarios/" + file, encoding: .utf8), to: file)
        }
        let result = try rehearse(["run", folder.path, "--golden", "./golden/", "--unreferenced", "fail"])
        #expect(!result.standardOutput.contains("unreferenced golden"), "\(result.standardOutput)")
    }

    @Test func aRunWhereThereIsNoGoldenFolderSaysWhereItLooksForGoldens() throws {
        let folder = try TemporaryFolder()
        let elsewhere = try TemporaryFolder()
        for file in ["tiny-batch.yaml", "data/tiny-train.csv"] {
            try folder.write(try String(contentsOfFile: repositoryRoot + "/Tests/scenarios/" + file, encoding: .utf8), to: "scenarios/" + file)
        }
        let lost = try rehearse(["run", folder.path + "/scenarios/tiny-batch.yaml"], in: elsewhere.path)
        #expect(lost.status == 1)
        // Under CI (as these runs are) nothing is written, and the note says only where it reads.
        #expect(lost.standardError.contains("note: there is no golden/ folder in \(elsewhere.path): this run's goldens are read from ./golden; "),
                "\(lost.standardError)")
        #expect(lost.standardError.contains("run from your project's root folder, or name one with --golden DIR"))
        let home = try rehearse(["run", "Tests/scenarios/tiny-batch.yaml"] + golden)
        #expect(!home.standardError.contains("there is no golden/ folder"), "\(home.standardError)")
    }

    @Test func aScenarioFileNamedTwiceIsReadOnce() throws {
        let result = try rehearse(["list", "Tests/scenarios/tiny-batch.yaml", "./Tests/scenarios/tiny-batch.yaml"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.components(separatedBy: "tiny-batch [").count == 2, "\(result.standardOutput)")
    }

    @Test func aScenarioNamedWithoutAFolderFindsItsFilesBesideIt() throws {
        let result = try rehearse(["list", "tiny-batch.yaml"], in: repositoryRoot + "/Tests/scenarios")
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("tiny-batch [self-test]"))
    }
}

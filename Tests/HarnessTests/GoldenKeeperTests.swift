import Harness
import Testing

@Suite("Golden modes: check, update, CI")
struct GoldenKeeperTests {
    let header = GoldenHeader(rehearsalVersion: "0.1.0", seed: 42, modelIDs: ["nb-1a2b"])
    let records = ScenarioCapture(name: "predictions", capture: .records([["id": 1, "p": 0.5]]))
    let log = ScenarioCapture(name: "log", capture: .text("started\n"))

    func keeper(_ folder: TemporaryFolder, _ mode: GoldenMode, ci: Bool = false) -> GoldenKeeper {
        GoldenKeeper(store: GoldenStore(root: folder.path + "/golden"), mode: mode, environment: RunEnvironment(isCI: ci))
    }

    @Test("check: missing goldens are written as pending .new files with a pending header, and do not pass")
    func checkMissing() throws {
        let folder = try TemporaryFolder()
        let outcomes = try keeper(folder, .check).check(scenario: "batch", header: header, captures: [records, log])
        #expect(outcomes.map(\.comparison.status) == [.missingGolden, .missingGolden])
        #expect(outcomes.map(\.action) == [.wrotePending, .wrotePending])
        #expect(outcomes.allSatisfy { !$0.passed })
        #expect(folder.files() == ["golden/batch/_header.json.new", "golden/batch/log.txt.new", "golden/batch/predictions.jsonl.new"])
        #expect(try folder.read("golden/batch/predictions.jsonl.new") == "{\"id\":1,\"p\":0.5}\n")
        #expect(try folder.read("golden/batch/_header.json.new") == "{\"model_ids\":[\"nb-1a2b\"],\"rehearsal_version\":\"0.1.0\",\"seed\":\"42\"}\n")
    }

    @Test("check: a differing capture writes no pending header when the golden header already says the same")
    func noSpuriousPendingHeader() throws {
        let folder = try TemporaryFolder()
        _ = try keeper(folder, .update).check(scenario: "batch", header: header, captures: [records])
        let changed = ScenarioCapture(name: "predictions", capture: .records([["id": 1, "p": 0.75]]))
        let outcomes = try keeper(folder, .check).check(scenario: "batch", header: header, captures: [changed])
        #expect(outcomes.map(\.action) == [.wrotePending])
        #expect(folder.files() == ["golden/batch/_header.json", "golden/batch/predictions.jsonl", "golden/batch/predictions.jsonl.new"])

        // A header that does change (a new model id) is still written as pending.
        let newHeader = GoldenHeader(rehearsalVersion: "0.1.0", seed: 42, modelIDs: ["nb-9f9f"])
        _ = try keeper(folder, .check).check(scenario: "batch", header: newHeader, captures: [changed])
        #expect(try folder.read("golden/batch/_header.json.new") == newHeader.fileText)
    }

    @Test("update: missing and differing goldens are written, stale .new removed, and they pass")
    func update() throws {
        let folder = try TemporaryFolder()
        try folder.write("{\"id\":1,\"p\":0.4}\n", to: "golden/batch/predictions.jsonl")
        try folder.write("old pending\n", to: "golden/batch/predictions.jsonl.new")
        let outcomes = try keeper(folder, .update).check(scenario: "batch", header: header, captures: [records, log])
        #expect(outcomes.map(\.comparison.status) == [.differs, .missingGolden])
        #expect(outcomes.map(\.action) == [.wroteGolden, .wroteGolden])
        #expect(outcomes.allSatisfy { $0.passed })
        #expect(folder.files() == ["golden/batch/_header.json", "golden/batch/log.txt", "golden/batch/predictions.jsonl"])
        #expect(try folder.read("golden/batch/predictions.jsonl") == "{\"id\":1,\"p\":0.5}\n")
    }

    @Test("a matching capture removes a stale .new; once nothing is pending the pending header goes too")
    func staleRemoved() throws {
        let folder = try TemporaryFolder()
        _ = try keeper(folder, .update).check(scenario: "batch", header: header, captures: [records])
        try folder.write("stale\n", to: "golden/batch/predictions.jsonl.new")
        try folder.write("stale\n", to: "golden/batch/_header.json.new")
        let outcomes = try keeper(folder, .check).check(scenario: "batch", header: header, captures: [records])
        #expect(outcomes.map(\.action) == [.removedStalePending])
        #expect(outcomes[0].passed)
        #expect(folder.files() == ["golden/batch/_header.json", "golden/batch/predictions.jsonl"])
    }

    @Test("within tolerance, update leaves the golden byte for byte alone, header included")
    func toleranceKeepsGolden() throws {
        let folder = try TemporaryFolder()
        let golden = "{\"id\":1,\"p\":0.5000}\n"  // not even canonical: must survive untouched
        try folder.write(golden, to: "golden/batch/predictions.jsonl")
        let drifted = ScenarioCapture(
            name: "predictions", capture: .records([["id": 1, "p": 0.50001]]),
            normalisation: Normalisation(tolerances: [try Tolerance("p", absolute: 0.001)]))
        let outcomes = try keeper(folder, .update).check(scenario: "batch", header: header, captures: [drifted])
        #expect(outcomes.map(\.action) == [.none])
        #expect(try folder.read("golden/batch/predictions.jsonl") == golden)
        #expect(folder.files() == ["golden/batch/predictions.jsonl"])
    }

    @Test("CI: nothing is ever written, in either mode, and a missing golden fails", arguments: GoldenMode.allCases)
    func ci(mode: GoldenMode) throws {
        let folder = try TemporaryFolder()
        try folder.write("{\"id\":1,\"p\":0.4}\n", to: "golden/batch/predictions.jsonl")
        try folder.write("stale\n", to: "golden/batch/predictions.jsonl.new")
        let outcomes = try keeper(folder, mode, ci: true).check(scenario: "batch", header: header, captures: [records, log])
        #expect(outcomes.map(\.comparison.status) == [.differs, .missingGolden])
        #expect(outcomes.map(\.action) == [.none, .none])
        #expect(outcomes.allSatisfy { !$0.passed })
        #expect(folder.files() == ["golden/batch/predictions.jsonl", "golden/batch/predictions.jsonl.new"])
        #expect(try folder.read("golden/batch/predictions.jsonl.new") == "stale\n")
    }

    @Test("a golden with merge-conflict markers is replaced in update mode")
    func conflicted() throws {
        let folder = try TemporaryFolder()
        try folder.write("<<<<<<< ours\n{\"id\":1}\n=======\n{\"id\":2}\n>>>>>>> theirs\n", to: "golden/batch/predictions.jsonl")
        let outcomes = try keeper(folder, .update).check(scenario: "batch", header: header, captures: [records])
        #expect(outcomes[0].comparison.status == .conflictedGolden)
        #expect(try folder.read("golden/batch/predictions.jsonl") == "{\"id\":1,\"p\":0.5}\n")
    }

    @Test("a golden checked out with CRLF line ends matches and is left alone; CRLF conflict markers are seen")
    func crlfGoldens() throws {
        let folder = try TemporaryFolder()
        let golden = "{\"id\":1,\"p\":0.5}\r\n"
        try folder.write(golden, to: "golden/batch/predictions.jsonl")
        let outcomes = try keeper(folder, .check).check(scenario: "batch", header: header, captures: [records])
        #expect(outcomes.map(\.comparison.status) == [.matched])
        #expect(try folder.read("golden/batch/predictions.jsonl") == golden)
        try folder.write("<<<<<<< ours\r\n{\"id\":1}\r\n=======\r\n{\"id\":2}\r\n>>>>>>> theirs\r\n", to: "golden/batch/predictions.jsonl")
        let conflicted = try keeper(folder, .check).check(scenario: "batch", header: header, captures: [records])
        #expect(conflicted.map(\.comparison.status) == [.conflictedGolden])
    }

    @Test("bad and repeated capture names are refused with the name")
    func names() throws {
        let folder = try TemporaryFolder()
        #expect(throws: HarnessError.self) {
            try keeper(folder, .check).check(scenario: "batch", header: header, captures: [records, records])
        }
        for bad in ["", "../x", "a/b", ".hidden", "_header", "x.new"] {
            #expect(throws: HarnessError.self) {
                try keeper(folder, .check).check(scenario: "batch", header: header, captures: [ScenarioCapture(name: bad, capture: .text(""))])
            }
            #expect(throws: HarnessError.self) {
                try keeper(folder, .check).check(scenario: bad, header: header, captures: [log])
            }
        }
        #expect(folder.files() == [])
    }

    @Test("the environment reads CI as set unless empty, 0 or false")
    func environment() {
        #expect(!RunEnvironment(variables: [:]).isCI)
        #expect(RunEnvironment(variables: ["CI": "true"]).isCI)
        #expect(RunEnvironment(variables: ["CI": "1"]).isCI)
        #expect(RunEnvironment(variables: ["CI": "woodpecker"]).isCI)
        #expect(!RunEnvironment(variables: ["CI": "0"]).isCI)
        #expect(!RunEnvironment(variables: ["CI": "FALSE"]).isCI)
        #expect(!RunEnvironment(variables: ["CI": ""]).isCI)
    }

    @Test("headers round-trip and malformed headers name the field")
    func headers() throws {
        let folder = try TemporaryFolder()
        let store = GoldenStore(root: folder.path + "/golden")
        let big = GoldenHeader(rehearsalVersion: "1.2.3", seed: .max, modelIDs: ["a", "b"])
        try store.writeHeader(big, scenario: "s", pending: false)
        #expect(try store.readHeader(scenario: "s") == big)
        let zoned = GoldenHeader(rehearsalVersion: "1.2.3", seed: 1, modelIDs: [], timeZoneData: "2025b")
        try store.writeHeader(zoned, scenario: "z", pending: false)
        #expect(try store.readHeader(scenario: "z") == zoned)
        #expect(try String(contentsOfFile: folder.path + "/golden/z/_header.json", encoding: .utf8)
                == "{\"model_ids\":[],\"rehearsal_version\":\"1.2.3\",\"seed\":\"1\",\"tz_data\":\"2025b\"}\n")
        try folder.write("{\"rehearsal_version\":\"1\",\"seed\":7,\"model_ids\":[]}\n", to: "golden/t/_header.json")
        #expect(throws: HarnessError.malformedHeader(folder.path + "/golden/t/_header.json", field: "seed",
                                                     expected: "a decimal string holding an unsigned 64-bit integer")) {
            try store.readHeader(scenario: "t")
        }
    }

    @Test("a second update run after the first writes nothing and changes no byte")
    func idempotentUpdate() throws {
        let folder = try TemporaryFolder()
        let unordered = ScenarioCapture(
            name: "events", capture: .records([["id": "b", "t": 2], ["id": "a", "t": 1]]),
            normalisation: Normalisation(redactions: [try Redaction("id")], orderInsensitive: true))
        _ = try keeper(folder, .update).check(scenario: "s", header: header, captures: [records, log, unordered])
        let before = try folder.files().map { try folder.read($0) }
        let again = try keeper(folder, .update).check(
            scenario: "s", header: header,
            captures: [records, log, ScenarioCapture(
                name: "events", capture: .records([["id": "x", "t": 1], ["id": "y", "t": 2]]),
                normalisation: unordered.normalisation)])
        #expect(again.map(\.action) == [.none, .none, .none])
        #expect(try folder.files().map { try folder.read($0) } == before)
        #expect(try folder.read("golden/s/events.jsonl") == "{\"id\":\"<id:1>\",\"t\":1}\n{\"id\":\"<id:2>\",\"t\":2}\n")
    }
}

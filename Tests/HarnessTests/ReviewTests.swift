import Harness
import Testing

/// A console fed from a script of answers, recording everything written.
final class ScriptedConsole {
    var answers: [String]
    var output = ""

    init(_ answers: [String]) { self.answers = answers }

    func console(colour: Bool = false) -> ReviewConsole {
        ReviewConsole(
            readLine: { self.answers.isEmpty ? nil : self.answers.removeFirst() },
            write: { self.output += $0 },
            colour: colour)
    }
}

@Suite("Review, accept and reject")
struct ReviewTests {
    /// Two scenarios: `batch` with a changed golden and a new one, `online` with a new one.
    func pendingFixture() throws -> (TemporaryFolder, Reviewer) {
        let folder = try TemporaryFolder()
        try folder.write("{\"p\":1}\n", to: "golden/batch/predictions.jsonl")
        try folder.write("{\"p\":2}\n", to: "golden/batch/predictions.jsonl.new")
        try folder.write("hello\n", to: "golden/batch/log.txt.new")
        try folder.write("{\"h\":2}\n", to: "golden/batch/_header.json.new")
        try folder.write("{\"r\":1}\n", to: "golden/online/responses.jsonl.new")
        try folder.write("{\"h\":1}\n", to: "golden/online/_header.json.new")
        return (folder, Reviewer(store: GoldenStore(root: folder.path + "/golden")))
    }

    @Test("lists pending results sorted, optionally for some scenarios only")
    func list() throws {
        let (folder, reviewer) = try pendingFixture()
        #expect(try reviewer.pending().map(\.key.relativePath) == ["batch/log.txt", "batch/predictions.jsonl", "online/responses.jsonl"])
        #expect(try reviewer.pending(scenarios: ["online"]).map(\.key.relativePath) == ["online/responses.jsonl"])
        #expect(throws: HarnessError.unknownScenarios(["nope"], goldenRoot: folder.path + "/golden")) {
            try reviewer.pending(scenarios: ["nope", "batch"])
        }
    }

    @Test("accept moves .new files and the pending header over the goldens of the named scenario")
    func accept() throws {
        let (folder, reviewer) = try pendingFixture()
        let accepted = try reviewer.accept(scenarios: ["batch"], environment: RunEnvironment(isCI: false))
        #expect(accepted.count == 2)
        #expect(try folder.read("golden/batch/predictions.jsonl") == "{\"p\":2}\n")
        #expect(folder.files() == [
            "golden/batch/_header.json", "golden/batch/log.txt", "golden/batch/predictions.jsonl",
            "golden/online/_header.json.new", "golden/online/responses.jsonl.new",
        ])
    }

    @Test("reject deletes .new files and the pending header, leaving goldens alone")
    func reject() throws {
        let (folder, reviewer) = try pendingFixture()
        try reviewer.reject(environment: RunEnvironment(isCI: false))
        #expect(folder.files() == ["golden/batch/predictions.jsonl"])
        #expect(try folder.read("golden/batch/predictions.jsonl") == "{\"p\":1}\n")
    }

    @Test("interactive review shows each diff and applies a, r and s; bad answers are asked again")
    func interactive() throws {
        let (folder, reviewer) = try pendingFixture()
        let script = ScriptedConsole(["x", "r", "a", "s"])
        let summary = try reviewer.review(console: script.console(), environment: RunEnvironment(isCI: false))
        #expect(summary.rejected.map(\.relativePath) == ["batch/log.txt"])
        #expect(summary.accepted.map(\.relativePath) == ["batch/predictions.jsonl"])
        #expect(summary.skipped.map(\.relativePath) == ["online/responses.jsonl"])
        #expect(folder.files() == [
            "golden/batch/_header.json", "golden/batch/predictions.jsonl",
            "golden/online/_header.json.new", "golden/online/responses.jsonl.new",
        ])
        let root = folder.path + "/golden"
        #expect(script.output == """
            [1/3] batch/log.txt
            --- \(root)/batch/log.txt (no golden yet)
            +++ \(root)/batch/log.txt.new
            @@ -0,0 +1 @@
            +hello
            accept (a), reject (r), skip (s), quit (q)? Please answer a, r, s or q.
            accept (a), reject (r), skip (s), quit (q)? [2/3] batch/predictions.jsonl
            --- \(root)/batch/predictions.jsonl
            +++ \(root)/batch/predictions.jsonl.new
            @@ -1 +1 @@
            -{"p":1}
            +{"p":2}
            accept (a), reject (r), skip (s), quit (q)? [3/3] online/responses.jsonl
            --- \(root)/online/responses.jsonl (no golden yet)
            +++ \(root)/online/responses.jsonl.new
            @@ -0,0 +1 @@
            +{"r":1}
            accept (a), reject (r), skip (s), quit (q)? accepted 1, rejected 1, skipped 1

            """)
    }

    @Test("end of input skips the rest, and colour is used only when asked")
    func endOfInput() throws {
        let (folder, reviewer) = try pendingFixture()
        let script = ScriptedConsole([])
        let summary = try reviewer.review(console: script.console(colour: true), environment: RunEnvironment(isCI: false))
        #expect(summary.skipped.count == 3)
        #expect(script.output.contains("\u{1B}[32m+hello\u{1B}[0m"))
        #expect(folder.files().count == 6)
    }

    @Test("review, accept and reject refuse to run under CI and touch nothing")
    func ci() throws {
        let (folder, reviewer) = try pendingFixture()
        let script = ScriptedConsole(["a", "a", "a"])
        #expect(throws: HarnessError.refusedInCI("review pending results interactively")) {
            try reviewer.review(console: script.console(), environment: RunEnvironment(isCI: true))
        }
        #expect(folder.files().count == 6)
        #expect(script.output == "")
        // Nor do accept and reject: nothing is ever written under CI.
        #expect(throws: HarnessError.refusedInCI("accept pending results")) {
            try reviewer.accept(environment: RunEnvironment(isCI: true))
        }
        #expect(throws: HarnessError.refusedInCI("reject pending results")) {
            try reviewer.reject(environment: RunEnvironment(isCI: true))
        }
        #expect(folder.files().count == 6)
    }

    @Test("a run that goes check, then review-accept, then check again passes")
    func roundTrip() throws {
        let folder = try TemporaryFolder()
        let store = GoldenStore(root: folder.path + "/golden")
        let keeper = GoldenKeeper(store: store, mode: .check, environment: RunEnvironment(isCI: false))
        let header = GoldenHeader(rehearsalVersion: "0.1.0", seed: 1, modelIDs: [])
        let captures = [ScenarioCapture(name: "out", capture: .records([["x": 1.5]]))]
        #expect(try keeper.check(scenario: "s", header: header, captures: captures).allSatisfy { !$0.passed })
        try Reviewer(store: store).accept(environment: RunEnvironment(isCI: false))
        #expect(try keeper.check(scenario: "s", header: header, captures: captures).allSatisfy { $0.passed })
        #expect(folder.files() == ["golden/s/_header.json", "golden/s/out.jsonl"])
    }
}

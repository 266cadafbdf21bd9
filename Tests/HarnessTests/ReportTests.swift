import Foundation
import Harness
import JSON
import Testing

@Suite("Reports: terminal, JUnit XML, JSON, exit status")
struct ReportTests {
    /// Three scenarios run for real against a temporary golden folder: one passing, one
    /// differing, one new.
    func reports(_ folder: TemporaryFolder) throws -> [ScenarioReport] {
        let store = GoldenStore(root: folder.path + "/golden")
        try folder.write("{\"label\":\"positive\"}\n", to: "golden/batch/predictions.jsonl")
        try folder.write("{\"label\":\"negative\"}\n", to: "golden/online/responses.jsonl")
        let keeper = GoldenKeeper(store: store, mode: .check, environment: RunEnvironment(isCI: false))
        let header = GoldenHeader(rehearsalVersion: "0.1.0", seed: 7, modelIDs: ["m"])
        func run(_ scenario: String, _ capture: String, _ label: String) throws -> [CaptureOutcome] {
            try keeper.check(scenario: scenario, header: header, captures: [
                ScenarioCapture(name: capture, capture: .records([["label": .string(label)]]))
            ])
        }
        return [
            ScenarioReport(name: "batch", duration: .milliseconds(120), captures: try run("batch", "predictions", "positive")),
            ScenarioReport(name: "online", duration: .milliseconds(1030), captures: try run("online", "responses", "neutral & <b>")),
            ScenarioReport(name: "retrain", duration: .seconds(2), captures: try run("retrain", "metrics", "x")),
        ]
    }

    @Test("terminal report: a line per scenario, the failing diffs, and the exact closing tally")
    func terminal() throws {
        let folder = try TemporaryFolder()
        let root = folder.path + "/golden"
        let text = TerminalReporter(colour: false).render(try reports(folder))
        #expect(text == """
            PASS  batch (0.120s)
            FAIL  online (1.030s)
            NEW   retrain (2.000s)

            FAIL online
              \(root)/online/responses.jsonl differs from its golden; wrote \(root)/online/responses.jsonl.new for review (rehearse review)
            --- \(root)/online/responses.jsonl
            +++ actual online/responses.jsonl
            @@ -1 +1 @@
            -{"label":"negative"}
            +{"label":"neutral & <b>"}

            NEW retrain
              \(root)/retrain/metrics.jsonl has no golden; wrote \(root)/retrain/metrics.jsonl.new for review (rehearse review)

            1 passed, 2 failed

            """)
        #expect(!text.contains("\u{1B}"))
    }

    @Test("a redaction or tolerance path that matches no field of any record is noted under its scenario")
    func unusedPathsAreNoted() throws {
        let folder = try TemporaryFolder()
        let keeper = GoldenKeeper(store: GoldenStore(root: folder.path + "/golden"), mode: .update, environment: RunEnvironment(isCI: false))
        let rules = Normalisation(redactions: [try Redaction("model.idd", as: "model"), try Redaction("model.id")],
                                  tolerances: [try Tolerance("scroe", relative: 0.01), try Tolerance("score", relative: 0.01)])
        let records: [JSONValue] = [["model": ["id": "abc"], "score": 0.5], ["model": ["id": "def"], "score": 0.25]]
        #expect(rules.unusedPaths(in: records) == ["redact path model.idd", "tolerance path scroe"])
        #expect(rules.unusedPaths(in: []) == [])
        let outcomes = try keeper.check(scenario: "s", header: GoldenHeader(rehearsalVersion: "0.1.0", seed: 1, modelIDs: []),
                                        captures: [ScenarioCapture(name: "preds", capture: .records(records), normalisation: rules)])
        let text = TerminalReporter(colour: false).render([ScenarioReport(name: "s", duration: .milliseconds(5), captures: outcomes)])
        #expect(text.hasPrefix("""
            NEW   s (0.005s)
                  note: capture preds: redact path model.idd matched no field in any record
                  note: capture preds: tolerance path scroe matched no field in any record

            """), "\(text)")
    }

    @Test("colour only when told, and never on the closing line")
    func colour() throws {
        let folder = try TemporaryFolder()
        let text = TerminalReporter(colour: true).render(try reports(folder))
        #expect(text.hasPrefix("\u{1B}[32mPASS\u{1B}[0m  batch"))
        // The changed line, with what changed in reverse video.
        #expect(text.contains("\u{1B}[31m-{\"label\":\"ne\u{1B}[7mgative\u{1B}[27m\"}\u{1B}[0m"))
        #expect(text.hasSuffix("\n1 passed, 2 failed\n"))
    }

    @Test("control characters of captured bytes show as their pictures in the terminal, so they cannot move or recolour it")
    func controlCharactersAreShown() {
        #expect(TerminalReporter.visible("a\u{1B}[31mb\tc\nd\u{7F}\r") == "a\u{241B}[31mb\tc\nd\u{2421}\u{240D}")
        #expect(TerminalReporter.visible("plain\n") == "plain\n")
    }

    @Test("JUnit XML: one suite, a testcase per scenario, escaped failures with the diff")
    func junit() throws {
        let folder = try TemporaryFolder()
        let root = folder.path + "/golden"
        let xml = JUnitReporter.render(try reports(folder))
        #expect(xml.hasPrefix("""
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites tests="3" failures="2" errors="0" time="3.150">
              <testsuite name="rehearse" tests="3" failures="2" errors="0" skipped="0" time="3.150">
                <testcase name="batch" classname="rehearse" time="0.120"/>
                <testcase name="online" classname="rehearse" time="1.030">
                  <failure message="\(root)/online/responses.jsonl differs from its golden; wrote \(root)/online/responses.jsonl.new for review (rehearse review)" type="FAIL">
            """))
        #expect(xml.contains("+{&quot;label&quot;:&quot;neutral &amp; &lt;b&gt;&quot;}\n</failure>"))
        #expect(xml.hasSuffix("    </testcase>\n  </testsuite>\n</testsuites>\n"))
        #expect(JUnitReporter.escape("a\u{01}b'\u{1B}") == "a\u{FFFD}b&apos;\u{FFFD}")
    }

    @Test("JSON report is canonical JSON that parses back")
    func json() throws {
        let folder = try TemporaryFolder()
        let text = JSONReporter.render(try reports(folder))
        let value = try JSONParser.parse(text)
        #expect(value.canonicalText + "\n" == text)
        guard case .object(let document) = value, case .array(let scenarios)? = document["scenarios"] else {
            Issue.record("unexpected shape: \(text)")
            return
        }
        #expect(document["passed"] == 1)
        #expect(document["failed"] == 2)
        guard case .object(let online) = scenarios[1], case .array(let captures)? = online["captures"],
            case .object(let capture) = captures[0]
        else {
            Issue.record("unexpected shape: \(text)")
            return
        }
        #expect(online["status"] == "FAIL")
        #expect(online["duration_ms"] == 1030)
        #expect(capture["status"] == "differs")
        #expect(capture["action"] == "wrote-pending")
    }

    @Test("scenario status and exit status")
    func statuses() throws {
        let folder = try TemporaryFolder()
        let all = try reports(folder)
        #expect(all.map(\.status) == [.pass, .fail, .new])
        #expect(ExitStatus.of(all) == .failed)
        #expect(ExitStatus.of([all[0]]) == .passed)
        #expect(ExitStatus.of([all[0]], unreferenced: UnreferencedGoldens(paths: ["x"], policy: .fail)) == .failed)
        #expect(ExitStatus.of([all[0]], unreferenced: UnreferencedGoldens(paths: ["x"], policy: .warn)) == .passed)
        let crashed = ScenarioReport(name: "c", duration: .zero, captures: [], error: ScenarioRunError(place: .step(file: "scenarios/c.yaml", line: 3), problem: .unreadableFile(path: "in.csv")))
        #expect(crashed.error?.description == "step at scenarios/c.yaml:3: cannot read in.csv")
        #expect(crashed.status == .fail)
        #expect(!crashed.passed)
        #expect(ExitStatus.usageError.rawValue == 2)
    }

    @Test("a missing golden under CI is a failure, not NEW")
    func ciMissing() throws {
        let folder = try TemporaryFolder()
        let keeper = GoldenKeeper(store: GoldenStore(root: folder.path), mode: .check, environment: RunEnvironment(isCI: true))
        let outcomes = try keeper.check(
            scenario: "s", header: GoldenHeader(rehearsalVersion: "0", seed: 0, modelIDs: []),
            captures: [ScenarioCapture(name: "c", capture: .text("x"))])
        #expect(ScenarioReport(name: "s", duration: .zero, captures: outcomes).status == .fail)
    }

    @Test("unreferenced goldens are listed before the tally and in the JSON report")
    func unreferenced() throws {
        let folder = try TemporaryFolder()
        let all = try reports(folder)
        let stale = UnreferencedGoldens(paths: ["golden/old/out.jsonl"], policy: .fail)
        let text = TerminalReporter(colour: false).render(all, unreferenced: stale)
        #expect(text.hasSuffix("\nunreferenced golden golden/old/out.jsonl (fails the run)\n\n1 passed, 2 failed; 1 unreferenced golden file fails the run\n"))
        let json = try JSONParser.parse(JSONReporter.render(all, unreferenced: stale))
        guard case .object(let document) = json else {
            Issue.record("not an object")
            return
        }
        #expect(document["unreferenced"] == ["files": ["golden/old/out.jsonl"], "policy": "fail", "fails_run": true])
        let warned = TerminalReporter(colour: false).render(all, unreferenced: UnreferencedGoldens(paths: stale.paths, policy: .warn))
        #expect(warned.hasSuffix("\n1 passed, 2 failed\n"), "a warning does not fail the run")
    }

    @Test("reports are byte-identical when rendered again from a fresh run")
    func deterministic() throws {
        let first = try TemporaryFolder(), second = try TemporaryFolder()
        let a = try reports(first), b = try reports(second)
        func strip(_ text: String, _ folder: TemporaryFolder) -> String {
            text.replacingOccurrences(of: folder.path, with: "ROOT")
        }
        #expect(strip(JSONReporter.render(a), first) == strip(JSONReporter.render(b), second))
        #expect(strip(JUnitReporter.render(a), first) == strip(JUnitReporter.render(b), second))
        #expect(strip(TerminalReporter(colour: true).render(a), first) == strip(TerminalReporter(colour: true).render(b), second))
    }

    @Test("HTML report: every scenario's status, and per weekly table one chart with a line per policy and a dot per training")
    func html() throws {
        let folder = try TemporaryFolder()
        let weeks = [
            ("never", 13, 0.2, "initial"), ("never", 14, 0.18, "kept"), ("never", 15, 0.19, "kept"),
            ("<rule>", 13, 0.2, "initial"), ("<rule>", 14, 0.22, "refused"), ("<rule>", 15, 0.25, "promoted"),
        ].map { policy, week, rate, decision -> JSONValue in
            ["policy": .string(policy), "week": .integer(week), "hit_rate": .number(rate), "base_rate": 0.02, "decision": .string(decision)]
        }
        let text = weeks.map(\.canonicalText).joined(separator: "\n") + "\n"
        let page = HTMLReporter.render(try reports(folder), weeklyTables: [
            .init(scenario: "automl", capture: "weekly", text: text),
            .init(scenario: "empty", capture: "weekly", text: ""),
        ])
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.hasSuffix("</html>\n"))
        #expect(page.contains("1 passed, 2 failed"))
        #expect(page.contains("<td class=\"FAIL\">FAIL</td>") && page.contains("responses.jsonl"))
        #expect(page.components(separatedBy: "<svg").count == 2)
        #expect(page.components(separatedBy: "<polyline").count == 4)  // base rate + two policies
        #expect(page.components(separatedBy: "class=\"retrain\"").count == 5)  // 2 initial, refused, promoted
        #expect(page.contains("&lt;rule&gt;") && !page.contains("<rule>"))
        #expect(!page.contains("<script"))
        #expect(!page.contains("unreferenced golden"))

        // Unreferenced goldens that fail the run say so, though every scenario passed.
        let failing = HTMLReporter.render([], weeklyTables: [], unreferenced: UnreferencedGoldens(paths: ["golden/x/<old>.jsonl"], policy: .fail))
        #expect(failing.contains("The run fails") && failing.contains("unreferenced golden golden/x/&lt;old&gt;.jsonl (fails the run)"))
    }
}

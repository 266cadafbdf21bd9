import Foundation
import Harness
import Testing
import TestSupport

/// Scenarios that run the user's own commands: exec steps and exec jobs, their environment, the
/// timeout that kills a process group, expectations, and the `exec` capture.
@Suite struct ExecScenarioTests {
    /// Runs `yaml` (in `folder`) with `--update` into a fresh golden folder, on a thread of its
    /// own (`onThread`); returns the report and the text of each capture by name.
    private func rehearse(_ yaml: String, in folder: TemporaryFolder, inheriting extra: [String: String] = [:])
        async throws -> (report: ScenarioReport, captures: [String: String]) {
        let scenario = try ScenarioParser.parse(yaml, file: "inline.yaml", folder: folder.path)
        let goldens = folder.path + "/golden"
        var options = ScenarioRunner.Options(mode: .update, environment: RunEnvironment(isCI: false))
        options.commandEnvironment.merge(extra) { _, given in given }
        let runner = ScenarioRunner(goldens: GoldenStore(root: goldens), options: options)
        let report = try await onThread { runner.run([scenario])[0].report }
        var captures: [String: String] = [:]
        for file in (try? FileManager.default.contentsOfDirectory(atPath: goldens + "/" + scenario.name)) ?? [] where !file.hasPrefix("_") {
            captures[(file as NSString).deletingPathExtension] = try folder.read("golden/\(scenario.name)/\(file)")
        }
        return (report, captures)
    }

    @Test("a command sees the sandbox's endpoint, test credentials and the virtual clock, and no AWS_* of the harness's")
    func environment() async throws {
        let folder = try TemporaryFolder()
        // What a developer's shell might hold (not set on this process: other tests' children would inherit it).
        let real = ["AWS_PROFILE": "production-admin", "AWS_SESSION_TOKEN": "real-token", "REHEARSAL_NOW": "1999-01-01T00:00:00Z"]
        let (report, captures) = try await rehearse("""
            name: exec-env
            start: 2026-05-04T08:30:00Z
            steps:
              - exec:
                  name: env
                  argv: [sh, -c, 'env | grep -E "^(AWS_|REHEARSAL_|GREETING)" | sort']
                  env: {GREETING: hello, AWS_REGION: eu-west-1}
              - capture: {name: env, exec: env, redact_text: {'127\\.0\\.0\\.1:[0-9]+': port, '/\\S*/exec/aws-': '<folder>'}}
            """, in: folder, inheriting: real)
        #expect(report.error == nil, "\(String(describing: report.error))")
        #expect(captures["env"] == """
            run 1 at 2026-05-04T08:30:00Z: exit status 0
            --- stdout
            AWS_ACCESS_KEY_ID=test
            AWS_CONFIG_FILE=<folder>config
            AWS_DEFAULT_REGION=us-east-1
            AWS_EC2_METADATA_DISABLED=true
            AWS_ENDPOINT_URL=http://<port:1>
            AWS_REGION=eu-west-1
            AWS_SECRET_ACCESS_KEY=test
            AWS_SHARED_CREDENTIALS_FILE=<folder>credentials
            GREETING=hello
            REHEARSAL_ADMIN_URL=http://<port:1>/_rehearsal
            REHEARSAL_NOW=2026-05-04T08:30:00Z
            REHEARSAL_RUN=1
            REHEARSAL_SCENARIO=exec-env
            --- stderr (empty)

            """)
    }

    @Test("a schedule runs an exec job on the virtual clock; each run is captured with its time")
    func scheduledRuns() async throws {
        let folder = try TemporaryFolder()
        let (report, captures) = try await rehearse("""
            name: exec-cron
            start: 2026-05-04T00:00:00Z
            cloud:
              schedules: [{name: hourly, cron: "0 * * * *", job: tick}]
            jobs:
              - name: tick
                exec: {argv: [sh, -c, 'echo "tick $REHEARSAL_RUN at $REHEARSAL_NOW"; echo note >&2']}
            steps:
              - advance: 2h30m
              - run: tick
              - capture: {name: ticks, exec: tick}
            """, in: folder)
        #expect(report.error == nil, "\(String(describing: report.error))")
        let runs = (captures["ticks"] ?? "").split(separator: "\n").filter { $0.hasPrefix("run ") || $0.hasPrefix("tick ") }
        #expect(runs == [
            "run 1 at 2026-05-04T01:00:00Z: exit status 0", "tick 1 at 2026-05-04T01:00:00Z",
            "run 2 at 2026-05-04T02:00:00Z: exit status 0", "tick 2 at 2026-05-04T02:00:00Z",
            "run 3 at 2026-05-04T02:30:00Z: exit status 0", "tick 3 at 2026-05-04T02:30:00Z",
        ])
        #expect(captures["ticks"]?.contains("--- stderr\nnote\n") == true)
    }

    @Test("a non-zero exit fails the scenario at its step, quoting stderr; expect: failure accepts it and refuses a success")
    func expectations() async throws {
        let folder = try TemporaryFolder()
        let failing = try await rehearse("""
            name: exec-fails
            steps:
              - exec: {name: bad, argv: [sh, -c, 'echo "input missing" >&2; exit 3']}
            """, in: folder).report
        #expect(failing.error?.description == "step at inline.yaml:3: command \"bad\" failed (exit status 3); the end of its stderr:\ninput missing")

        let expected = try await rehearse("""
            name: exec-expected
            steps:
              - exec: {name: bad, argv: [sh, -c, 'exit 3'], expect: failure}
              - exec: {name: good, argv: ['true'], expect: failure}
            """, in: folder).report
        #expect(expected.error?.description == "step at inline.yaml:4: command \"good\" was expected to fail but exited with status 0")
    }

    @Test("a command past its timeout is killed with its process group, and the scenario fails saying so")
    func timeoutKillsTheGroup() async throws {
        let folder = try TemporaryFolder()
        let report = try await rehearse("""
            name: exec-timeout
            steps:
              - exec: {name: slow, argv: [sh, -c, 'sleep 300 & echo $! > child.pid; wait'], timeout: 1s}
            """, in: folder).report
        #expect(report.error?.description == "step at inline.yaml:3: command \"slow\" failed (timed out after 1s (killed with its process group))")
        let child = try #require(Int32((try folder.read("child.pid") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)))
        // SIGKILL lands asynchronously: within a few seconds the background sleep is gone, or a
        // zombie waiting for init to reap it; either way no longer running.
        #expect(ChildProcesses.waitUntilEnded(child, within: 5), "the background sleep \(child) still runs")
    }

    @Test("a program that cannot be started fails the step naming it")
    func cannotStart() async throws {
        let folder = try TemporaryFolder()
        let report = try await rehearse("""
            name: exec-missing
            steps:
              - exec: {name: nope, argv: [no-such-program-for-rehearsal]}
            """, in: folder).report
        #expect(report.error?.description.hasPrefix("step at inline.yaml:3: cannot start \"no-such-program-for-rehearsal\"") == true,
                "\(String(describing: report.error))")
    }

    @Test("exec mistakes are caught before anything runs, at their line and column",
          arguments: [
              ("  - exec: {name: a, argv: python3 x.py}", "4:27", "\"argv\" is a list"),
              ("  - exec: {name: a, argv: []}", "4:27", "\"argv\" needs the program"),
              ("  - exec: {name: a, argv: [x], cwd: no/such/folder}", "4:37", "folder \"no/such/folder\" does not exist"),
              ("  - exec: {name: a, argv: [x], timeout: 2h}", "4:41", "at most 1h"),
              ("  - exec: {name: a, argv: [x], env: {1X: y}}", "4:38", "not a variable name"),
              ("  - exec: {name: a, argv: [x], expect: maybe}", "4:40", "success or failure"),
              ("  - capture: {name: c, exec: nobody}", "4:5", "no exec job and no earlier exec step"),
              ("  - capture: {name: c, ledger: true, redact_text: {x: y}}", "4:51", "redact_text applies to text captures"),
              ("  - capture: {name: c, exec: j, redact: {x: y}}", "4:14", "field-path normalisations"),
              ("  - capture: {name: c, exec: j, redact_text: {'a*': y}}", "4:47", "matches the empty string"),
              ("  - exec: {name: j, argv: [x]}", "4:18", "the name of an exec job"),
              ("  - capture: {name: c, manifest: j}", "4:34", "runs a command, not a batch job"),
          ])
    func parseErrors(step: String, place: String, message: String) throws {
        let yaml = "name: bad\njobs: [{name: j, exec: {argv: [x]}}]\nsteps:\n\(step)\n"
        #expect {
            try ScenarioParser.parse(yaml, file: "bad.yaml", folder: NSTemporaryDirectory())
        } throws: { error in
            let text = "\(error)"
            return text.contains("bad.yaml:\(place):") && text.contains(message)
        }
    }
}

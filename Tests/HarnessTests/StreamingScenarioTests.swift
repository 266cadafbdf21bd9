import Foundation
import Harness
import JSON
import Testing
import TestSupport

/// The streaming scenarios' promises that a golden alone cannot show.
@Suite(.serialized, .enabled(if: CachedCorpus.url != nil, CachedCorpus.skipMessage))
struct StreamingScenarioTests {
    private static let data = DataSource(corpusPath: CachedCorpus.url?.path)

    /// Rehearses `yaml` in update mode into a fresh golden folder; returns the captures' bytes by file name.
    private func captures(of yaml: String) async throws -> [String: Data] {
        let folder = NSTemporaryDirectory() + "streaming-scenario-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/golden", withIntermediateDirectories: true)
        let scenario = try ScenarioParser.parse(yaml, file: folder + "/scenario.yaml", folder: repositoryRoot + "/scenarios")
        let runner = ScenarioRunner(goldens: GoldenStore(root: folder + "/golden"), data: Self.data,
                                    options: .init(mode: .update, environment: RunEnvironment(isCI: false)))
        let result = try await onThread { runner.run(scenario) }
        #expect(result.report.error == nil, "\(result.report.error.map { "\($0)" } ?? "")")
        var files: [String: Data] = [:]
        let captured = folder + "/golden/" + scenario.name
        for file in try FileManager.default.contentsOfDirectory(atPath: captured) where file.hasSuffix(".jsonl") {
            files[file] = FileManager.default.contents(atPath: captured + "/" + file)
        }
        return files
    }

    /// `deliveries_found_stored` of an ingest capture: messages delivered again whose prediction was stored already.
    private func foundStored(_ capture: Data?) throws -> Int {
        let line = String(decoding: capture ?? Data(), as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        guard case .object(let ingest) = try JSONParser.parse(line), case .number(let count)? = ingest["deliveries_found_stored"] else {
            Issue.record("no deliveries_found_stored in \(line)")
            return -1
        }
        return Int(count)
    }

    @Test("a worker killed with SIGKILL mid-batch leaves the sink and the panes exactly as a run without the crash")
    func crashedWorkerChangesNothing() async throws {
        let crashed = try String(contentsOfFile: repositoryRoot + "/scenarios/stream-worker-crash.yaml", encoding: .utf8)
        let kill = "  - kill: {worker: 2, after: write}\n"
        #expect(crashed.contains(kill))
        let uninterrupted = crashed.replacingOccurrences(of: kill, with: "")
        let withCrash = try await captures(of: crashed)
        let withoutCrash = try await captures(of: uninterrupted)
        #expect(withCrash["predictions.jsonl"] != nil)
        #expect(withCrash["predictions.jsonl"] == withoutCrash["predictions.jsonl"])
        #expect(withCrash["panes.jsonl"] == withoutCrash["panes.jsonl"])
        // The crash did happen: the killed worker's batch was delivered again and found stored.
        #expect(try foundStored(withCrash["ingest.jsonl"]) > 0)
        #expect(try foundStored(withoutCrash["ingest.jsonl"]) == 0)
    }

    @Test("a kill step with no backlog to lease fails at its line, saying how to build one")
    func killWithNothingToLease() async throws {
        let crashed = try String(contentsOfFile: repositoryRoot + "/scenarios/stream-worker-crash.yaml", encoding: .utf8)
        let kill = "  - kill: {worker: 2, after: write}\n"
        let drain = "  - watermark: {end: true}\n"
        #expect(crashed.contains(kill) && crashed.contains(drain))
        // The same kill once the stream's 900 tweets have all been taken by the workers.
        let late = crashed.replacingOccurrences(of: kill, with: "").replacingOccurrences(of: drain, with: drain + kill)
        let scenario = try ScenarioParser.parse(late, file: "late-kill.yaml", folder: repositoryRoot + "/scenarios")
        let killLine = late.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 + "\n" == kill }! + 1
        let runner = ScenarioRunner(goldens: GoldenStore(root: NSTemporaryDirectory() + "late-kill-" + UUID().uuidString),
                                    data: Self.data, options: .init(mode: .check, environment: RunEnvironment(isCI: true)))
        let report = try await onThread { runner.run(scenario) }.report
        #expect(report.error?.place == .step(file: "late-kill.yaml", line: killLine))
        let message = report.error.map { "\($0)" } ?? ""
        #expect(message.contains("the worker to be killed found no message to lease on tweets-workers"), "\(message)")
        #expect(message.contains("worker_rate"))
    }
}

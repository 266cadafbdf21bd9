import Foundation
import Harness
import Modes
import Testing

/// Rehearses the self-test scenarios under Tests/scenarios/ — the harness must pass the good one
/// and catch the broken ones — and checks that runs are byte-for-byte repeatable.
@Suite struct SelfTestScenarioTests {
    private let folder = repositoryRoot + "/Tests/scenarios"

    private func scenarios(_ names: String...) throws -> [Scenario] {
        try names.map { (name) throws(ScenarioError) in try ScenarioParser.load(path: folder + "/\(name).yaml") }
    }

    private func ciRunner(goldens: String) -> ScenarioRunner {
        ScenarioRunner(goldens: GoldenStore(root: goldens), options: .init(mode: .check, environment: RunEnvironment(isCI: true)))
    }

    @Test func aMatchingScenarioPasses() throws {
        let results = ciRunner(goldens: folder + "/golden").run(try scenarios("tiny-batch"))
        #expect(results.map(\.report.status) == [.pass], "\(results.map(\.report))")
    }

    @Test func aChangedPredictionFailsWithADiff() throws {
        let report = ciRunner(goldens: folder + "/golden").run(try scenarios("changed-prediction"))[0].report
        #expect(report.status == .fail)
        let failed = report.captures.filter { !$0.passed }
        #expect(failed.map(\.key.capture) == ["predictions"])
        let diff = failed.first?.comparison.diff ?? ""
        #expect(diff.contains("-{\"id\":\"7\",\"label\":\"negative\""))
        #expect(diff.contains("+{\"id\":\"7\",\"label\":\"neutral\""))
        #expect(!FileManager.default.fileExists(atPath: folder + "/golden/changed-prediction/predictions.jsonl.new"))
    }

    @Test func aMissingGoldenFailsUnderCIAndWritesNothing() throws {
        let report = ciRunner(goldens: folder + "/golden").run(try scenarios("missing-golden"))[0].report
        #expect(report.status == .fail)
        #expect(report.captures.first?.comparison.goldenIsMissing == true)
        #expect(!FileManager.default.fileExists(atPath: folder + "/golden/missing-golden"))
    }

    @Test func aFailingJobFailsTheScenarioAtItsStep() throws {
        let scenario = try ScenarioParser.parse("""
            name: no-inputs
            cloud: {buckets: [data]}
            slices: {train: {file: data/tiny-train.csv}}
            models: [{name: m, bucket: data, train: {slice: train, algorithm: nb}, aliases: [live]}]
            jobs: [{name: score, bucket: data, input: in/, output: out/, model: m@live}]
            steps:
              - run: score
            """, file: "inline.yaml", folder: folder)
        let report = ciRunner(goldens: folder + "/golden").run([scenario])[0].report
        #expect(report.status == .fail)
        #expect(report.error?.description == "step at inline.yaml:7: job \"score\" failed: no input objects under \"in/\" in bucket \"data\"")
        // The cause reaches the report as the job threw it, not as text.
        #expect(report.error?.place == .step(file: "inline.yaml", line: 7))
        guard case .jobFailed(let job, let cause)? = report.error?.problem else {
            Issue.record("not a job failure: \(String(describing: report.error))")
            return
        }
        #expect(job == "score")
        #expect(cause as? BatchJobError == .noInputs(bucket: "data", prefix: "in/"))
    }

    @Test func aModelThatCannotBeTrainedFailsNamingItsLineAndSlice() throws {
        let scenario = try ScenarioParser.parse("""
            name: corrupt-model
            cloud: {buckets: [data]}

            models:
              - {name: ok, bucket: data, file: ../../scenarios/data/corrupt.rmodel}
            steps:
              - advance: 1h
            """, file: "inline.yaml", folder: folder)
        let report = ciRunner(goldens: folder + "/golden").run([scenario])[0].report
        #expect(report.status == .fail)
        #expect(report.error?.place == .model(name: "ok", file: "inline.yaml", line: 5))
        #expect(report.error?.description.hasPrefix("model \"ok\" at inline.yaml:5: model file ../../scenarios/data/corrupt.rmodel: ") == true,
                "\(String(describing: report.error))")

        let untrainable = try ScenarioParser.parse("""
            name: one-label
            cloud: {buckets: [data]}
            slices: {calm: {file: data/tiny-train.csv, labels: [neutral]}}
            models:
              - {name: m, bucket: data, train: {slice: calm, algorithm: nb}}
            steps:
              - advance: 1h
            """, file: "inline.yaml", folder: folder)
        let second = ciRunner(goldens: folder + "/golden").run([untrainable])[0].report
        #expect(second.error?.place == .model(name: "m", file: "inline.yaml", line: 5))
        #expect(second.error?.description
            == "model \"m\" at inline.yaml:5: training on slice \"calm\" (90 rows): cannot train a classifier: every example has the label \"neutral\"; at least two labels are needed")
    }

    /// Writes every capture of `names` with `--update` into a fresh golden folder and returns
    /// the folder's files and bytes.
    private func goldenFiles(parallel: Int, _ scenarios: [Scenario]) throws -> [String: Data] {
        let root = NSTemporaryDirectory() + "selftest-goldens-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        let runner = ScenarioRunner(goldens: GoldenStore(root: root), options: .init(
            mode: .update, environment: RunEnvironment(isCI: false), parallelScenarios: parallel))
        let results = runner.run(scenarios)
        #expect(results.allSatisfy { $0.report.error == nil })
        var files: [String: Data] = [:]
        for file in FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [] {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + file, isDirectory: &isFolder), !isFolder.boolValue {
                files[file] = FileManager.default.contents(atPath: root + "/" + file)
            }
        }
        return files
    }

    @Test func capturesAreByteIdenticalAcrossRunsAndParallelism() throws {
        let all = try scenarios("tiny-batch", "changed-prediction", "missing-golden")
        let first = try goldenFiles(parallel: 1, all)
        let again = try goldenFiles(parallel: 1, all)
        let parallel = try goldenFiles(parallel: 4, all)
        #expect(first.count == 8)
        #expect(first == again)
        #expect(first == parallel)
    }

    @Test func keptSandboxesHoldTheCloud() throws {
        let parent = URL(fileURLWithPath: NSTemporaryDirectory() + "selftest-sandboxes-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: parent) }
        let runner = ScenarioRunner(goldens: GoldenStore(root: folder + "/golden"), options: .init(
            environment: RunEnvironment(isCI: true), keepSandboxes: true, sandboxParent: parent))
        let result = runner.run(try scenarios("tiny-batch"))[0]
        let sandbox = try #require(result.sandbox)
        #expect(FileManager.default.fileExists(atPath: sandbox + "/objects.sqlite"))
        #expect(FileManager.default.fileExists(atPath: sandbox + "/buckets/data/out/_MANIFEST.json"))
    }
}

import Foundation
import Harness
import Testing
import TestSupport

/// The `metrics` capture: predictions joined with a slice's labels by id.
@Suite struct MetricsCaptureTests {
    @Test("metrics against a slice none of whose ids were scored give null accuracy and macro-F1, not 0; a joined slice gives figures")
    func noJoinedRowsGiveNull() async throws {
        let folder = try TemporaryFolder()
        let scenario = try ScenarioParser.parse("""
            name: metrics-join
            start: 2026-01-01T00:00:00Z
            cloud: {buckets: [data]}
            slices:
              scored: {file: data/tiny-train.csv, first: 100}
              unscored: {file: data/tiny-train.csv, skip: 200}
            models:
              - {name: m, bucket: data, train: {slice: scored, algorithm: nb}, aliases: [live]}
            jobs:
              - {name: score, bucket: data, input: in/, output: out/, model: m@live}
            steps:
              - put: {bucket: data, key: in/a.csv, slice: scored}
              - run: score
              - capture: {name: joined, metrics: {job: score, slice: scored}}
              - capture: {name: disjoint, metrics: {job: score, slice: unscored}}
            """, file: "inline.yaml", folder: repositoryRoot + "/Tests/scenarios")
        let runner = ScenarioRunner(goldens: GoldenStore(root: folder.path + "/golden"), options: .init(
            mode: .update, environment: RunEnvironment(isCI: false), rehearseExecutable: try rehearseURL()))
        let report = try await onThread { runner.run([scenario])[0].report }
        #expect(report.error == nil, "\(String(describing: report.error))")
        let disjoint = try #require(try folder.read("golden/metrics-join/disjoint.jsonl"))
        #expect(disjoint.contains(#""accuracy":null"#) && disjoint.contains(#""macro_f1":null"#), "\(disjoint)")
        #expect(disjoint.contains(#""count":0"#) && disjoint.contains(#""rows_without_prediction":100"#), "\(disjoint)")
        let joined = try #require(try folder.read("golden/metrics-join/joined.jsonl"))
        #expect(!joined.contains("null") && joined.contains(#""count":100"#) && joined.contains(#""rows_without_prediction":0"#), "\(joined)")
    }
}

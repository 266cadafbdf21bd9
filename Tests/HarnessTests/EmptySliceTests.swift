import Foundation
import Harness
import Testing
import TestSupport

/// A slice that keeps no row is a scenario mistake, said as such.
@Suite struct EmptySliceTests {
    @Test("a slice whose skip passes its rows fails the step, saying how many rows the source had and what the skip left")
    func skipPastTheEnd() async throws {
        let folder = try TemporaryFolder()
        let scenario = try ScenarioParser.parse("""
            name: empty-slice
            start: 2026-01-01T00:00:00Z
            cloud: {buckets: [data]}
            slices:
              beyond: {file: data/tiny-train.csv, skip: 500}
            steps:
              - put: {bucket: data, key: in/a.csv, slice: beyond}
            """, file: "inline.yaml", folder: repositoryRoot + "/Tests/scenarios")
        let runner = ScenarioRunner(goldens: GoldenStore(root: folder.path + "/golden"), options: .init(
            mode: .update, environment: RunEnvironment(isCI: false), rehearseExecutable: try rehearseURL()))
        let report = try await onThread { runner.run([scenario])[0].report }
        let error = try #require(report.error.map { "\($0)" })
        #expect(error.contains(#"slice "beyond" has no rows: its source has 300, skip: 500 leaves 0"#), "\(error)")
    }
}

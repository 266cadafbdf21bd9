import Harness
import Testing

/// YAML merge keys (`<<: *anchor`) in scenario files, with `x-` keys at the top to hold anchors.
@Suite struct MergeKeyTests {
    private func parse(_ text: String) throws(ScenarioError) -> Scenario {
        try ScenarioParser.parse(text, file: "inline.yaml", folder: repositoryRoot + "/Tests/scenarios")
    }

    private let header = """
        name: merges
        start: 2026-05-01T12:00:00Z
        steps: [{advance: 1m}]

        """

    @Test func aMergedMappingGivesItsKeysAndTheMappingsOwnWin() throws {
        let scenario = try parse(header + """
            x-slice-defaults: &defaults
              file: data/tiny-train.csv
              sample: 10
              first: 5
            slices:
              plain:
                <<: *defaults
              shorter:
                <<: *defaults
                first: 2
            """)
        let slices = Dictionary(uniqueKeysWithValues: scenario.slices.map { ($0.name, $0) })
        #expect(slices["plain"]?.source == .file("data/tiny-train.csv"))
        #expect(slices["plain"]?.sample == 10)
        #expect(slices["plain"]?.first == 5)
        #expect(slices["shorter"]?.sample == 10)
        #expect(slices["shorter"]?.first == 2)
    }

    @Test func ofSeveralMergedMappingsTheFirstWinsAndMergesNest() throws {
        let scenario = try parse(header + """
            x-base: &base {file: data/tiny-train.csv, sample: 10, first: 5, skip: 1}
            x-small: &small {<<: *base, first: 3}
            x-tiny: &tiny {first: 1, sample: 4}
            slices:
              mixed: {<<: [*tiny, *small]}
            """)
        let mixed = try #require(scenario.slices.first)
        #expect(mixed.first == 1)
        #expect(mixed.sample == 4)
        #expect(mixed.skip == 1)
        #expect(mixed.source == .file("data/tiny-train.csv"))
    }

    @Test func mergesReachMapsOfNamesToValues() throws {
        let scenario = try parse(header + """
            x-env: &env {BUCKET: lake, QUEUE: done}
            jobs:
              - name: nightly
                exec:
                  argv: [python3, job.py]
                  env: {<<: *env, QUEUE: other}
            """)
        let job = try #require(scenario.execJobs.first)
        let environment = job.environment.map { "\($0.name)=\($0.value)" }
        #expect(environment.sorted() == ["BUCKET=lake", "QUEUE=other"])
    }

    @Test func aMergedJobIsReadAsACommandWhenItsExecIsMerged() throws {
        let scenario = try parse(header + """
            x-command: &command
              exec: {argv: [python3, job.py]}
            jobs:
              - {<<: *command, name: nightly}
            """)
        #expect(scenario.execJobs.map(\.name) == ["nightly"])
        #expect(scenario.execJobs.first?.argv == ["python3", "job.py"])
    }

    @Test func anUnknownMergedKeyIsReportedWhereItIsWritten() {
        expectError("""
            x-defaults: &defaults
              file: data/tiny-train.csv
              smaple: 10
            slices:
              train: {<<: *defaults}
            """, line: 6, column: 3, "unknown key \"smaple\" in slice \"train\"")
    }

    @Test func aMergeOfSomethingElseThanAMappingIsRefused() {
        expectError("""
            slices:
              train: {<<: [data/tiny-train.csv]}
            """, line: 5, column: 16, "a merge key (<<) takes a mapping or a list of mappings")
    }

    @Test func xKeysAreTheWritersOwnOnlyAtTheTop() {
        expectError("""
            cloud:
              x-note: mine
            """, line: 5, column: 3, "unknown key \"x-note\" in \"cloud\"")
        expectError("extra: 1", line: 4, column: 1, "unknown key \"extra\" in the scenario; expected one of: name,")
        expectError("extra: 1", line: 4, column: 1, "(or an x- key of your own)")
    }

    private func expectError(_ body: String, line: Int, column: Int, _ fragment: String,
                             sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        do {
            _ = try parse(header + body)
            Issue.record("accepted: \(body)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.line == line && error.column == column, "\(error)", sourceLocation: sourceLocation)
            #expect(error.message.contains(fragment), "\(error)", sourceLocation: sourceLocation)
        }
    }
}

import Foundation
import Harness
import ModelCore
import Modes
import Testing

/// The repository's root folder, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

@Suite struct ScenarioParserTests {
    /// Each file under Tests/scenarios/malformed/ says on its first line where its error is.
    @Test(arguments: try! FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/Tests/scenarios/malformed").sorted())
    func malformedFilesAreRejectedAtTheirLineAndColumn(_ name: String) throws {
        let path = repositoryRoot + "/Tests/scenarios/malformed/" + name
        let firstLine = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")[0]
        let parts = firstLine.dropFirst("# expect ".count).split(separator: " ", maxSplits: 1)
        let position = parts[0].split(separator: ":").map { Int($0)! }
        do {
            _ = try ScenarioParser.load(path: path)
            Issue.record("\(name) was accepted")
        } catch {
            #expect(error.file == path)
            #expect(error.line == position[0], "\(error)")
            #expect(error.column == position[1], "\(error)")
            #expect(error.message.contains(String(parts[1])), "\(error)")
        }
    }

    private func parse(_ text: String) throws(ScenarioError) -> Scenario {
        try ScenarioParser.parse(text, file: "inline.yaml", folder: repositoryRoot + "/Tests/scenarios")
    }

    private func expectError(_ text: String, line: Int, column: Int, _ fragment: String) {
        do {
            _ = try parse(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.line == line && error.column == column, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
            #expect(error.description.hasPrefix("inline.yaml:\(line):\(column): "))
        }
    }

    @Test func aFullScenarioParses() throws {
        let scenario = try parse("""
            name: full
            description: everything at once
            tags: [a, b]
            seed: 18446744073709551615
            start: 2026-05-01T12:00:00Z
            cloud:
              buckets: [data, archive]
              topics: [events, {name: dead, dedup_window: 5m}]
              subscriptions:
                - {name: audit, topic: events, ack_deadline: 30s, max_delivery_attempts: 3, dead_letter_topic: dead}
              schedules:
                - {name: nightly, cron: "0 2 * * *", time_zone: Europe/Paris, job: score}
              faults: {object_store_latency: 0.5}
            slices:
              train: {file: data/tiny-train.csv, sample: 10, first: 5, repeat: 2}
            models:
              - {name: m, bucket: data, train: {slice: train, algorithm: nb}, aliases: [live, canary]}
            jobs:
              - {name: score, bucket: data, input: in/, output: out, model: m@live, format: jsonl, id: null, shard_rows: 10}
            steps:
              - put: {bucket: data, key: in/a.jsonl, slice: train, format: jsonl}
              - copy: {bucket: data, from: in/a.jsonl, to: in/b.jsonl, to_bucket: archive}
              - fault: {job: score, kill_after_shards: 1}
              - run: {job: score, expect: failure}
              - advance: 1h30m
              - alias: {model: m, alias: live, version: 1}
              - capture:
                  name: preds
                  predictions: {job: score, slice: train, first: 3}
                  redact: {model_id: model}
                  tolerance: {score: {absolute: 0.001}}
                  order_insensitive: true
              - capture: {name: raw, object: {bucket: data, key: in/a.txt}}
            """)
        #expect(scenario.name == "full")
        #expect(scenario.seed == UInt64.max)
        #expect(scenario.tags == ["a", "b"])
        #expect(scenario.start.iso8601.hasPrefix("2026-05-01T12:00:00"))
        #expect(scenario.cloud.buckets == ["data", "archive"])
        #expect(scenario.cloud.topics.map(\.name) == ["events", "dead"])
        #expect(scenario.cloud.subscriptions.first?.options.maxDeliveryAttempts == 3)
        guard case .batch(let scheduled)? = scenario.cloud.schedules.first?.job else { Issue.record("not a batch job"); return }
        #expect(scheduled == scenario.jobs.first)
        #expect(scenario.timeZoneDataVersion == TimeZone.timeZoneDataVersion, "a Paris schedule records the tz database")
        #expect(try parse("name: x\nsteps:\n  - advance: 1h\n").timeZoneDataVersion == nil, "no zoned schedule, no tz_data")
        #expect(scenario.slices.first?.repeatCount == 2)
        #expect(scenario.models.first?.aliases == ["live", "canary"])
        #expect(scenario.jobs.first?.outputPrefix == "out/")
        #expect(scenario.jobs.first?.idField == nil)
        #expect(scenario.steps.count == 8)
        #expect(scenario.captures.map(\.name) == ["preds", "raw"])
        #expect(scenario.captures.map(\.source.goldenFormat) == [.jsonLines, .text])
        #expect(scenario.captures.first?.normalisation.orderInsensitive == true)
        #expect(scenario.captures.first?.normalisation.redactions.count == 1)
        // Resolved: steps hold what they refer to, and closed word sets are enums.
        guard case .train(let slice, let algorithm)? = scenario.models.first?.source else { Issue.record("not trained"); return }
        #expect(slice.name == "train" && algorithm == .naiveBayes)
        guard case .put(_, _, .slice(let putSlice, let format)) = scenario.steps[0].action else { Issue.record("not a put"); return }
        #expect(putSlice.name == "train" && format == .jsonl)
        guard case .run(let job, let expect) = scenario.steps[3].action else { Issue.record("not a run"); return }
        #expect(job.name == "score" && job.format == .jsonLines && expect == .failure)
        guard case .alias(let model, _, _) = scenario.steps[5].action else { Issue.record("not an alias"); return }
        #expect(model.bucket == "data")
        guard case .predictions(let predicted, let only, 3)? = scenario.captures.first?.source else { Issue.record("not predictions"); return }
        #expect(predicted.manifestKey == "out/_MANIFEST.json" && only?.repeatCount == 2)
    }

    @Test func referencesMustBeDeclared() {
        expectError("name: x\nsteps:\n  - run: score\n", line: 3, column: 10, "job \"score\" is not declared")
        expectError("""
            name: x
            cloud: {buckets: [data]}
            steps:
              - put: {bucket: data, key: k, slice: nope}
            """, line: 4, column: 40, "slice \"nope\" is not declared")
        expectError("""
            name: x
            cloud: {buckets: [data]}
            jobs:
              - {name: j, bucket: data, input: in/, output: out/, model: ghost@1}
            steps:
              - run: j
            """, line: 4, column: 62, "model \"ghost\" is not declared")
        expectError("""
            name: x
            cloud:
              schedules:
                - {name: s, cron: "0 * * * *", job: nothing}
            steps:
              - advance: 1h
            """, line: 4, column: 41, "schedule \"s\" runs job \"nothing\"")
    }

    @Test func valuesAreChecked() {
        expectError("name: x\nsteps:\n  - advance: soon\n", line: 3, column: 14, "takes a positive duration")
        expectError("name: x\nstart: yesterday\nsteps:\n  - advance: 1h\n", line: 2, column: 8, "ISO 8601")
        expectError("name: _x\nsteps:\n  - advance: 1h\n", line: 1, column: 7, "invalid scenario name")
        expectError("name: x\nsteps: []\n", line: 1, column: 1, "at least one step")
        expectError("name: x\ncloud:\n  schedules:\n    - {name: s, cron: \"61 * * * *\", job: j}\nsteps:\n  - advance: 1h\n",
                    line: 4, column: 23, "outside 0–59")
        expectError("name: x\nseed: 1\nseed: 2\nsteps:\n  - advance: 1h\n", line: 2, column: 1, "key \"seed\" appears more than once")
        expectError("""
            name: x
            steps:
              - advance: 1h
              - capture: {name: l, ledger: true}
              - capture: {name: l, ledger: true}
            """, line: 5, column: 5, "declared twice")
        expectError("name: x\nsteps:\n  - capture: {name: l, ledger: true, summary: j}\n", line: 3, column: 14, "exactly one of")
        expectError("name: x\nsteps:\n  - advance: 1h\n    run: j\n", line: 4, column: 5, "a step does one thing")
    }
}

extension ScenarioParserTests {
    /// Keys and prefixes are checked by the object store's own rules before anything runs,
    /// at the value that breaks them (they used to fail only when the step ran).
    @Test func objectKeysAreCheckedUpFront() {
        expectError("""
            name: x
            cloud: {buckets: [data]}
            steps:
              - copy: {bucket: data, from: a.csv, to: b//c.csv}
            """, line: 4, column: 43, "invalid object key \"b//c.csv\": a key must not contain '//'")
        expectError("""
            name: x
            cloud: {buckets: [data]}
            steps:
              - capture: {name: c, object: {bucket: data, key: /etc/passwd}}
            """, line: 4, column: 52, "must not start with '/'")
        expectError("""
            name: x
            cloud: {buckets: [data]}
            steps:
              - capture: {name: c, objects: {bucket: data, prefix: ../}}
            """, line: 4, column: 56, "\"prefix\" \"../\" cannot begin an object key")
        expectError("name: x\ncloud: {buckets: [Data]}\nsteps:\n  - advance: 1h\n", line: 2, column: 19, "invalid bucket name \"Data\"")
    }

    /// Hidden files and folders in a scenario folder are not read: an editor's lock file (a
    /// dangling symlink named `.#a.yaml`) or a copy under `.git/` broke every run.
    @Test func hiddenFilesAndFoldersAreSkipped() throws {
        let folder = try TemporaryFolder()
        try folder.write("name: a\nsteps:\n  - advance: 1h\n", to: "a.yaml")
        try folder.write("name: a\nsteps:\n  - advance: 1h\n", to: ".git/a.yaml")
        try folder.write("not: [a scenario", to: ".foo.yaml")
        #expect(symlink("root@host.1234:1700000000", folder.path + "/.#a.yaml") == 0)
        #expect(try ScenarioCatalog(paths: [folder.path]).scenarios.map(\.name) == ["a"])
    }

    /// Two files with one scenario name are reported at the second file's name, naming the first.
    @Test func aScenarioNameUsedTwiceIsReportedAtItsPlace() throws {
        let folder = try TemporaryFolder()
        try folder.write("name: same\nsteps:\n  - advance: 1h\n", to: "a.yaml")
        try folder.write("# the copy\nname:   same\nsteps:\n  - advance: 1h\n", to: "b.yaml")
        do {
            _ = try ScenarioCatalog(paths: [folder.path])
            Issue.record("a repeated scenario name was accepted")
        } catch {
            #expect(error.errors.map(\.description) == [
                "\(folder.path)/b.yaml:2:9: scenario name \"same\" is also used by \(folder.path)/a.yaml:1:7; golden folders must not be shared"
            ])
        }
    }
}

@Suite struct ScenarioDocumentationTests {
    /// The annotated example in docs/scenarios.md must stay a valid scenario.
    @Test func theAnnotatedExampleParses() throws {
        let doc = try String(contentsOfFile: repositoryRoot + "/docs/scenarios.md", encoding: .utf8)
        let start = try #require(doc.range(of: "```yaml\n"))
        let end = try #require(doc.range(of: "```", range: start.upperBound..<doc.endIndex))
        let folder = NSTemporaryDirectory() + "doc-example-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        for file in ["data/tiny-train.csv", "data/extra.csv"] {
            #expect(FileManager.default.createFile(atPath: folder + "/" + file, contents: Data("id,sentiment,text\n".utf8)))
        }
        let scenario = try ScenarioParser.parse(String(doc[start.upperBound..<end.lowerBound]), file: "example.yaml", folder: folder)
        #expect(scenario.name == "batch-rerun")
        #expect(scenario.steps.count == 9)
        #expect(scenario.captures.map(\.name) == ["manifest", "after-rerun"])
    }
}

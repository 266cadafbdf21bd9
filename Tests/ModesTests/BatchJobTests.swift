import Corpus
import Determinism
import Foundation
import JSON
import LocalCloud
import Modes
import ModelCore
import Testing

@Suite struct BatchJobTests {
    /// A store with a registered model (`m@production`) and `rows` CSV rows under `in/`, in three objects.
    private func fixture(rows: Int = 5000) throws -> StoreFixture {
        let fixture = try StoreFixture()
        let registry = ModelRegistry(store: fixture.store, bucket: "data")
        try registry.register(try TinyData.model(), name: "m")
        try registry.setAlias("production", name: "m", version: 1)
        let third = rows / 3
        try fixture.put(TinyData.csv(rows: third, firstID: 1, seed: 1), "in/a.csv")
        try fixture.put(TinyData.csv(rows: third, firstID: third + 1, seed: 2), "in/b.csv")
        try fixture.put(TinyData.csv(rows: rows - 2 * third, firstID: 2 * third + 1, seed: 3), "in/c.csv")
        return fixture
    }

    private func spec(shardRows: Int = 1000, threads: Int? = nil, output: String = "out/") -> BatchJobSpec {
        BatchJobSpec(name: "score", bucket: "data", inputPrefix: "in/", outputPrefix: output,
                     model: ModelReference("m@production")!, shardRows: shardRows, threads: threads)
    }

    private func predictions(_ fixture: StoreFixture, output: String = "out/") throws -> (manifest: BatchManifest, text: String) {
        let manifest = try BatchManifest(fileData: fixture.store.get(bucket: "data", key: output + "_MANIFEST.json").data)
        return (manifest, try manifest.shards.map { try fixture.text($0.key) }.joined())
    }

    @Test func writesShardsRejectsAndAManifest() throws {
        let fixture = try fixture(rows: 2500)
        let summary = try BatchJob(store: fixture.store, spec: spec(shardRows: 1000)).run()
        #expect(summary.status == .succeeded)
        #expect(summary.rows == 2500 && summary.rejected == 0 && summary.shards == 3 && summary.inputs == 3)
        let (manifest, text) = try predictions(fixture)
        #expect(manifest.shards.map(\.rows) == [1000, 1000, 500])
        #expect(manifest.inputs.map(\.key) == ["in/a.csv", "in/b.csv", "in/c.csv"])
        #expect(manifest.labelCounts.values.reduce(0, +) == 2500)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2500)
        #expect(lines[0].hasPrefix("{\"id\":\"1\",\"label\":\""))
        #expect(!lines[0].contains("model_id"))
        for shard in manifest.shards {
            #expect(try fixture.store.head(bucket: "data", key: shard.key).userMetadata == ["model-id": manifest.model.id])
        }
        #expect(lines[2499].hasPrefix("{\"id\":\"2500\","))
        #expect(try fixture.keys(under: "out/").sorted() == (manifest.shards.map(\.key) + [manifest.rejects.key, "out/_MANIFEST.json"]).sorted())
    }

    @Test func outputIsIdenticalForAnyThreadCountAndShardSize() throws {
        var texts: Set<String> = []
        var hashes: Set<String> = []
        for (threads, shardRows) in [(1, 100_000), (2, 777), (4, 1), (3, 4096)] {
            let fixture = try fixture(rows: 3000)
            // Inputs without rows, between and after the others, are numbered past cleanly.
            try fixture.put("", "in/a0-empty.csv")
            try fixture.put("id,text\n", "in/b0-header-only.csv")
            try fixture.put("id,text\n", "in/z-header-only.csv")
            let summary = try BatchJob(store: fixture.store, spec: spec(shardRows: shardRows, threads: threads)).run()
            #expect(summary.inputs == 6 && summary.rows == 3000)
            let (manifest, text) = try predictions(fixture)
            texts.insert(text)
            hashes.insert(manifest.predictionsSHA256)
        }
        #expect(texts.count == 1)
        #expect(hashes.count == 1)
    }

    /// Every row, every field: the shard holds exactly what the model core's `predict` gives for
    /// the row's text, as the shard encoder documents it (`PredictionEncoder`): each number
    /// rounded half away from zero to six decimals, then written in the canonical form.
    @Test func predictionsMatchTheModelCoreBitForBit() throws {
        let fixture = try fixture(rows: 300)
        _ = try BatchJob(store: fixture.store, spec: spec(shardRows: 64)).run()
        let model = try TinyData.model()
        let texts = (1...3).flatMap { TinyData.examples(count: 100, seed: UInt64($0)).map(\.text) }
        let lines = try predictions(fixture).text.split(separator: "\n").map(String.init)
        #expect(lines.count == 300)
        for (row, line) in lines.enumerated() {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            #expect(object["id"] as? String == "\(row + 1)")
            let expected = model.predict(texts[row])
            #expect(object["label"] as? String == expected.label, "row \(row + 1)")
            var fields = zip(expected.labels, expected.probabilities).map { (key: "\"\($0.0)\":", value: $0.1) }
            fields.append((key: "\"score\":", value: expected.score))
            for field in fields {
                let written = try #require(Self.numberText(after: field.key, in: line), "row \(row + 1): no \(field.key)")
                #expect(Self.writtenAsEncoded(written, field.value), "row \(row + 1) \(field.key) \(written) vs the core's \(field.value)")
            }
        }
    }

    /// The number literal that follows the first `key` in a JSON line.
    private static func numberText(after key: String, in line: String) -> String? {
        guard let range = line.range(of: key) else { return nil }
        return String(line[range.upperBound...].prefix { "0123456789.eE+-".contains($0) })
    }

    /// Whether `text` is `value` as a shard writes it: rounded half away from zero to six
    /// decimals, then in the canonical number form (`0.5`, `-0.00215`, `1`, `0`).
    private static func writtenAsEncoded(_ text: String, _ value: Double) -> Bool {
        let units = (abs(value) * 1_000_000).rounded(.toNearestOrAwayFromZero)
        let rounded = units == 0 ? 0 : (value < 0 ? -units : units) / 1_000_000
        return text == CanonicalNumber.text(rounded)
    }
    @Test func idsAndTextsAreReadAsCSVReaderReadsThemInvalidUTF8Included() throws {
        // Quoted fields mixing words, doubled quotes, multi-byte letters and malformed UTF-8
        // (a lone lead byte, a surrogate, an overlong form, a code point past U+10FFFF).
        let pieces: [[UInt8]] = [Array("love ".utf8), Array("sad ".utf8), Array("great".utf8), Array("\"\"".utf8),
                                 Array("é".utf8), Array("😀".utf8), [0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xC0, 0xAF],
                                 [0xF4, 0x90, 0x80, 0x80], Array(", ".utf8), Array("\n".utf8), [0x08, 0x0C, 0x1F],
                                 [0xE0, 0x80, 0x80], [0xF0, 0x80, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0x80], [0xE2, 0x82]]
        var random = SplitMix64(seed: 7)
        var csv = Array("id,text\n".utf8)
        for row in 0..<400 {
            // Ids are written back verbatim, so they show exactly how each byte was read.
            var id = Array("r\(row)".utf8)
            for _ in 0..<random.nextIndex(below: 4) { id += pieces[random.nextIndex(below: pieces.count)] }
            var text = Array("word ".utf8)
            for _ in 0..<random.nextIndex(below: 12) { text += pieces[random.nextIndex(below: pieces.count)] }
            csv += [UInt8(ascii: "\"")] + id + Array("\",\"".utf8) + text + Array("\"\n".utf8)
        }
        let fixture = try StoreFixture()
        try ModelRegistry(store: fixture.store, bucket: "data").register(try TinyData.model(), name: "m")
        try fixture.store.put(Data(csv), bucket: "data", key: "in/mixed.csv")
        let spec = BatchJobSpec(name: "score", bucket: "data", inputPrefix: "in/", outputPrefix: "out/",
                                model: ModelReference("m@1")!, shardRows: 64)
        #expect(try BatchJob(store: fixture.store, spec: spec).run().rows == 400)

        var reader = CSVReader(bytes: csv)
        _ = try reader.next()
        let model = try TinyData.model()
        let (manifest, _) = try predictions(fixture)
        let shardBytes = try manifest.shards.flatMap { [UInt8](try fixture.store.get(bucket: "data", key: $0.key).data) }
        let lines = shardBytes.split(separator: UInt8(ascii: "\n")).map { String(validating: $0, as: UTF8.self) }
        #expect(lines.count == 400)
        #expect(lines.allSatisfy { $0 != nil }, "every line is well-formed UTF-8")
        #expect(lines.contains { $0?.contains(#"\b\f\u001f"#) == true }, "the escapes of JSONString")
        for case let line? in lines {
            let record = try #require(try reader.next())
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let expected = model.predict(record.fields[1])
            #expect(object["id"] as? String == record.fields[0])
            #expect(object["label"] as? String == expected.label)
            let probabilities = try #require(object["probabilities"] as? [String: Double])
            for (label, probability) in zip(expected.labels, expected.probabilities) {
                #expect(abs(probabilities[label]! - probability) <= 5e-7, "line \(record.line)")
            }
        }
    }

    @Test func badRowsGoToRejectsWithLineAndReason() throws {
        let fixture = try StoreFixture()
        let registry = ModelRegistry(store: fixture.store, bucket: "data")
        try registry.register(try TinyData.model(), name: "m")
        try registry.setAlias("production", name: "m", version: 1)
        let huge = String(repeating: "good ", count: 2000)
        try fixture.put("id,text\n1,good day\n2,\"never closed\n", "in/a.csv")
        try fixture.put("id,text\n3,\n4,\(huge)\n5,bad,extra\n6,great\n", "in/b.csv")
        try fixture.put("", "in/c.csv")
        // (A byte-order mark before the first JSON line is skipped, as in CSV.)
        try fixture.put("\u{FEFF}{\"id\":7,\"text\":\"love it\"}\n{\"id\":8}\nnot json\n{\"id\":9,\"text\":\"ok\"} x\n\n{\"text\":\"no id\"}\n", "in/d.jsonl")
        let summary = try BatchJob(store: fixture.store, spec: spec()).run()
        #expect(summary.rows == 3)
        #expect(summary.rejected == 8)
        let (manifest, text) = try predictions(fixture)
        #expect(text.split(separator: "\n").map { $0.prefix(12) } == ["{\"id\":\"1\",\"l", "{\"id\":\"6\",\"l", "{\"id\":\"7\",\"l"])
        #expect(manifest.inputs.map(\.rows) == [1, 1, 0, 1])
        #expect(manifest.inputs.map(\.rejected) == [1, 3, 0, 4])
        let rejects = try fixture.text(manifest.rejects.key).split(separator: "\n").map(String.init)
        #expect(rejects == [
            "{\"input\":\"in/a.csv\",\"line\":3,\"reason\":\"malformed CSV: quoted field opened on line 3 is never closed; expected a closing '\\\"'\"}",
            "{\"input\":\"in/b.csv\",\"line\":2,\"reason\":\"missing text: \\\"text\\\" is empty\"}",
            "{\"input\":\"in/b.csv\",\"line\":3,\"reason\":\"text is 10000 bytes, over the limit of 4096\"}",
            "{\"input\":\"in/b.csv\",\"line\":4,\"reason\":\"expected 2 fields, found 3\"}",
            "{\"input\":\"in/d.jsonl\",\"line\":2,\"reason\":\"missing text: the record has no field \\\"text\\\"\"}",
            "{\"input\":\"in/d.jsonl\",\"line\":3,\"reason\":\"invalid JSON at column 2: unexpected character 'o'; expected 'null'\"}",
            "{\"input\":\"in/d.jsonl\",\"line\":4,\"reason\":\"invalid JSON at column 22: unexpected character 'x' after the JSON value; expected end of input\"}",
            "{\"input\":\"in/d.jsonl\",\"line\":6,\"reason\":\"missing id: the record has no field \\\"id\\\"\"}",
        ])
    }

    @Test func aKilledRunLeavesNoManifestAndARerunCompletesIt() throws {
        let fixture = try fixture(rows: 3000)
        let job = BatchJob(store: fixture.store, spec: spec(shardRows: 500))
        #expect(throws: BatchJobError.killed(job: "score", afterShards: 2)) {
            try job.run(faults: BatchFaults(killAfterShards: 2))
        }
        #expect(try fixture.keys(under: "out/").count == 2)
        #expect(!(try fixture.keys(under: "out/")).contains("out/_MANIFEST.json"))
        let summary = try job.run()
        #expect(summary.shards == 6)
        let (manifest, text) = try predictions(fixture)
        #expect(text.split(separator: "\n").count == 3000)
        #expect(try fixture.keys(under: "out/").count == 6 + 2)
        #expect(manifest.shards.allSatisfy { $0.key.hasPrefix("out/\(manifest.run)/") })
    }

    @Test func aRerunWithNewInputsReplacesTheOldRun() throws {
        let fixture = try fixture(rows: 300)
        let job = BatchJob(store: fixture.store, spec: spec(shardRows: 100))
        let first = try job.run()
        try fixture.put(TinyData.csv(rows: 50, firstID: 1000, seed: 9), "in/d.csv")
        // Objects under the output prefix that are not run folders are not the job's to delete.
        for key in ["out/README.txt", "out/run-notes/x", "out/run-0123456789abcdeg/x", "out/keep/run-0123456789abcdef/x"] {
            try fixture.put("mine", key)
        }
        let second = try job.run()
        #expect(first.run != second.run)
        #expect(second.rows == 350)
        let keys = try fixture.keys(under: "out/")
        #expect(!keys.contains { $0.hasPrefix("out/\(first.run!)/") })
        #expect(Set(["out/README.txt", "out/run-notes/x", "out/run-0123456789abcdeg/x", "out/keep/run-0123456789abcdef/x"]).isSubset(of: keys))
        #expect(keys.filter { $0.hasPrefix("out/\(second.run!)/") }.count == 5)
    }

    @Test func anEmptyInputPrefixSkipsTheModelRegistryAndTheOutput() throws {
        let fixture = try fixture(rows: 30)
        let job = BatchJob(store: fixture.store, spec: BatchJobSpec(
            name: "score", bucket: "data", inputPrefix: "", outputPrefix: "out/", model: ModelReference("m@production")!))
        _ = try job.run()
        let again = try job.run()  // the first run's output is not read back as input
        #expect(again.inputs == 3 && again.rows == 30 && again.rejected == 0)
    }

    /// Every object under `prefix`, with its bytes: what a failed job must leave as it was.
    private func snapshot(_ fixture: StoreFixture, _ prefix: String = "out/") throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try fixture.keys(under: prefix).map { ($0, try fixture.text($0)) })
    }

    @Test func aHeaderWithoutTheTextOrIDColumnFailsTheJobAndTouchesNoEarlierOutput() throws {
        let fixture = try fixture(rows: 30)
        _ = try BatchJob(store: fixture.store, spec: spec()).run()
        let before = try snapshot(fixture)
        #expect(before.keys.contains("out/_MANIFEST.json"))
        for (text, id, role, column) in [("txet", "id", BatchJobError.ColumnRole.text, "txet"), ("text", "ident", .id, "ident")] {
            let typo = BatchJobSpec(name: "score", bucket: "data", inputPrefix: "in/", outputPrefix: "out/", textField: text,
                                    idField: id, model: ModelReference("m@production")!)
            #expect(throws: BatchJobError.missingColumn(input: "in/a.csv", role: role, column: column, found: ["id", "text"])) {
                try BatchJob(store: fixture.store, spec: typo).run()
            }
            #expect(try snapshot(fixture) == before, "a failed job deleted or wrote output")
        }
        let message = BatchJobError.missingColumn(input: "in/a.csv", role: .text, column: "txet", found: ["id", "text"]).description
        #expect(message.contains("\"txet\"") && message.contains("id,text") && message.contains("in/a.csv"))
    }

    @Test func jsonLinesWhoseRecordsNeverHaveTheFieldFailTheJob() throws {
        let fixture = try StoreFixture()
        try ModelRegistry(store: fixture.store, bucket: "data").register(try TinyData.model(), name: "m")
        try fixture.put("{\"id\":1,\"text\":\"good day\"}\n", "in/a.jsonl")
        try fixture.put("{\"id\":2,\"body\":\"bad day\"}\nnot json\n{\"id\":3,\"body\":\"great\"}\n", "in/b.jsonl")
        let job = BatchJob(store: fixture.store, spec: BatchJobSpec(name: "j", bucket: "data", inputPrefix: "in/",
                                                                    outputPrefix: "out/", model: ModelReference("m@1")!))
        #expect(throws: BatchJobError.missingColumn(input: "in/b.jsonl", role: .text, column: "text", found: ["body", "id"])) {
            try job.run()
        }
        #expect(try fixture.keys(under: "out/").isEmpty)
        // One record with the field is enough: the others are bad rows, not a wrong name.
        try fixture.put("{\"id\":2,\"body\":\"bad day\"}\n{\"id\":3,\"text\":\"great\"}\n", "in/b.jsonl")
        let summary = try job.run()
        #expect(summary.rows == 2 && summary.rejected == 1)
    }

    @Test func inputWhoseEveryRowIsRejectedFailsTheJobAndKeepsTheLastRun() throws {
        let fixture = try fixture(rows: 30)
        _ = try BatchJob(store: fixture.store, spec: spec()).run()
        let before = try snapshot(fixture)
        let huge = String(repeating: "good ", count: 1000)
        for key in ["in/a.csv", "in/b.csv", "in/c.csv"] { try fixture.store.delete(bucket: "data", key: key) }
        try fixture.put("id,text\n1,\(huge)\n2,\n", "in/a.csv")
        try fixture.put("", "in/b.csv")  // no rows at all: neither scored nor rejected
        #expect(throws: BatchJobError.everyRowRejected(
            job: "score", rejected: 2, first: RejectedRow(input: "in/a.csv", line: 2, reason: "text is 5000 bytes, over the limit of 4096"))) {
            try BatchJob(store: fixture.store, spec: spec()).run()
        }
        #expect(try snapshot(fixture) == before)
        // Inputs with no rows at all and no rejects still make an (empty) run.
        try fixture.put("id,text\n", "in/a.csv")
        #expect(try BatchJob(store: fixture.store, spec: spec()).run().rows == 0)
    }

    @Test func anInputWhoseRowsAreAllRejectedForOneReasonFailsTheJob() throws {
        let fixture = try fixture(rows: 30)
        _ = try BatchJob(store: fixture.store, spec: spec()).run()
        let before = try snapshot(fixture)
        // Among good inputs, one whose every row has a third field: a systemic problem.
        try fixture.put("id,text\n1,good,x\n2,bad,y\n3,fine,z\n", "in/d.csv")
        #expect(throws: BatchJobError.inputRejectedForOneReason(input: "in/d.csv", rejected: 3, reason: "expected 2 fields, found 3")) {
            try BatchJob(store: fixture.store, spec: spec()).run()
        }
        #expect(try snapshot(fixture) == before)
        // Rows rejected for different reasons are bad rows, not a bad input: the job runs.
        try fixture.put("id,text\n1,good,x\n2,\n", "in/d.csv")
        #expect(try BatchJob(store: fixture.store, spec: spec()).run().rejected == 2)
    }

    @Test func missingInputsOrModelAreClearErrors() throws {
        let fixture = try fixture(rows: 10)
        #expect(throws: BatchJobError.noInputs(bucket: "data", prefix: "nothing/")) {
            try BatchJob(store: fixture.store, spec: BatchJobSpec(
                name: "j", bucket: "data", inputPrefix: "nothing/", outputPrefix: "out/", model: ModelReference("m@1")!)).run()
        }
        #expect(throws: ModelRegistryError.unknownModel(name: "other", bucket: "data")) {
            try BatchJob(store: fixture.store, spec: BatchJobSpec(
                name: "j", bucket: "data", inputPrefix: "in/", outputPrefix: "out/", model: ModelReference("other@production")!)).run()
        }
    }
}

@Suite struct BatchFaultTests {
    private func run(_ fixture: StoreFixture) throws -> String {
        let spec = BatchJobSpec(name: "score", bucket: "data", inputPrefix: "in/", outputPrefix: "out/",
                                model: ModelReference("m@1")!, shardRows: 50)
        _ = try BatchJob(store: fixture.store, spec: spec).run()
        let reader = try StoreFixture(sharing: fixture, faults: .none)
        let manifest = try BatchManifest(fileData: reader.store.get(bucket: "data", key: "out/_MANIFEST.json").data)
        return try manifest.shards.map { try reader.text($0.key) }.joined()
    }

    /// Sets up the model and inputs on a store without faults, then runs the job on `faulty`,
    /// which shares its folder.
    private func prepared(errorRate: Double) throws -> StoreFixture {
        let clean = try StoreFixture()
        try ModelRegistry(store: clean.store, bucket: "data").register(try TinyData.model(), name: "m")
        for part in 0..<4 { try clean.put(TinyData.csv(rows: 100, firstID: part * 100, seed: UInt64(part)), "in/\(part).csv") }
        return try StoreFixture(sharing: clean, faults: FaultPlan(seed: 9, rates: [.objectStoreError: errorRate]))
    }

    @Test func transientStoreErrorsAreRetriedAndChangeNothing() throws {
        let expected = try run(try prepared(errorRate: 0))
        let flaky = try prepared(errorRate: 0.3)
        #expect(try run(flaky) == expected)
        #expect(flaky.faults.injectedCounts[.objectStoreError, default: 0] > 5)
    }

    @Test func aStoreThatAlwaysFailsFailsTheJob() throws {
        #expect(throws: ObjectStoreError.self) { try run(try prepared(errorRate: 1)) }
    }
}

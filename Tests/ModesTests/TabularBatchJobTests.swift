import Determinism
import Foundation
import JSON
import LocalCloud
import Modes
import ModelCore
import Testing

/// Batch scoring of a tabular model (such as the automated-ML propensity models) through the
/// same batch job as text: columns found by name, bad values rejected with the column named, a
/// missing column failing the job, and each row's probability exactly the classifier's.
@Suite struct TabularBatchJobTests {
    /// Made-up customers: two numeric columns and one categorical, labelled by a noisy rule.
    enum Customers {
        static let schema = try! TabularSchema(numeric: ["recency", "visits"], categorical: ["region"], categoricalBuckets: 8)
        static let regions = ["north", "south", "east", "west"]

        /// One customer's values: recency, visits, region.
        static func values(_ index: Int, seed: UInt64) -> (recency: Double, visits: Double, region: String) {
            var random = SplitMix64(seed: seed &+ UInt64(index) &* 7919)
            return (Double(random.nextIndex(below: 365)), Double(random.nextIndex(below: 20)), regions[random.nextIndex(below: 4)])
        }

        static func model() throws -> TabularModel {
            var table = TabularTable(schema: schema)
            var labels: [Bool] = []
            var random = SplitMix64(seed: 99)
            for index in 0..<400 {
                let row = values(index, seed: 1)
                try table.append(numeric: [row.recency, row.visits], categorical: [row.region])
                labels.append(row.visits * 20 - row.recency + (row.region == "north" ? 60 : 0) + Double(random.nextIndex(below: 120)) > 60)
            }
            let classifier = try TabularTrainer.train(table, labels: labels)
            return TabularModel(metadata: TabularModelMetadata(parameters: TabularTrainingParameters(),
                                                               trainingData: TrainingDataSummary(table: table, labels: labels, source: "made up")),
                                classifier: classifier)
        }

        /// CSV with the columns in another order than the schema's, and one the model does not read.
        static func csv(_ ids: Range<Int>) -> String {
            "region,customer,visits,note,recency\n" + ids.map { index in
                let row = values(index, seed: 2)
                return "\(row.region),c\(index),\(Int(row.visits)),\"free, text\",\(Int(row.recency))\n"
            }.joined()
        }

        static func jsonLines(_ ids: Range<Int>) -> String {
            ids.map { index in
                let row = values(index, seed: 2)
                return "{\"customer\":\"c\(index)\",\"recency\":\(Int(row.recency)),\"visits\":\(Int(row.visits)),\"region\":\"\(row.region)\"}\n"
            }.joined()
        }
    }

    private func fixture() throws -> (StoreFixture, TabularModel) {
        let fixture = try StoreFixture()
        let model = try Customers.model()
        let registry = ModelRegistry(store: fixture.store, bucket: "data")
        try registry.setAlias("production", name: "p", version: try registry.register(model, name: "p"))
        return (fixture, model)
    }

    private func spec(threads: Int? = nil, shardRows: Int = 100_000) -> BatchJobSpec {
        BatchJobSpec(name: "propensity", bucket: "data", inputPrefix: "in/", outputPrefix: "out/", idField: "customer",
                     model: ModelReference("p@production")!, shardRows: shardRows, threads: threads)
    }

    /// Each prediction line, by id.
    private func predictions(_ fixture: StoreFixture) throws -> (manifest: BatchManifest, lines: [String: [String: JSONValue]], text: String) {
        let manifest = try BatchManifest(fileData: fixture.store.get(bucket: "data", key: "out/_MANIFEST.json").data)
        let text = try manifest.shards.map { try fixture.text($0.key) }.joined()
        var lines: [String: [String: JSONValue]] = [:]
        for line in text.split(separator: "\n") {
            guard case .object(let members) = try JSONParser.parse(String(line)), case .string(let id)? = members["id"] else {
                Issue.record("not a prediction: \(line)")
                continue
            }
            lines[id] = members
        }
        return (manifest, lines, text)
    }

    private func number(_ value: JSONValue?) -> Double? {
        if case .number(let number)? = value { return number }
        return nil
    }

    @Test func scoresCSVAndJSONLinesRowsByColumnNameWithTheClassifiersProbabilities() throws {
        let (fixture, model) = try fixture()
        try fixture.put(Customers.csv(0..<150), "in/a.csv")
        try fixture.put(Customers.jsonLines(150..<300), "in/b.jsonl")
        let summary = try BatchJob(store: fixture.store, spec: spec()).run()
        #expect(summary.rows == 300 && summary.rejected == 0 && summary.modelID == model.modelID)

        let (manifest, lines, _) = try predictions(fixture)
        #expect(manifest.model.id == model.modelID && manifest.model.version == 1)
        #expect(manifest.labelCounts.values.reduce(0, +) == 300)
        #expect(Set(manifest.labelCounts.keys).isSubset(of: ["false", "true"]) && manifest.labelCounts.count == 2,
                "the made-up rule has buyers and non-buyers: \(manifest.labelCounts)")
        var table = TabularTable(schema: Customers.schema)
        for index in 0..<300 {
            let row = Customers.values(index, seed: 2)
            try table.append(numeric: [row.recency, row.visits], categorical: [row.region])
        }
        for index in 0..<300 {
            let (positive, negative) = model.classifier.labelProbabilities(ofRow: index, in: table)
            guard let line = lines["c\(index)"], let score = number(line["score"]),
                  case .object(let probabilities)? = line["probabilities"] else {
                Issue.record("no prediction for c\(index)")
                continue
            }
            // Written rounded to six decimals.
            #expect(abs(score - positive) <= 5e-7 && abs((number(probabilities["true"]) ?? -1) - positive) <= 5e-7)
            #expect(abs((number(probabilities["false"]) ?? -1) - negative) <= 5e-7)
            #expect(line["label"] == .string(positive > negative ? "true" : "false"))
        }
    }

    @Test func outputBytesDoNotDependOnThreadsOrShards() throws {
        var texts: Set<String> = []
        for (threads, shardRows) in [(1, 100_000), (3, 7)] {
            let (fixture, _) = try fixture()
            try fixture.put(Customers.csv(0..<5000), "in/a.csv")
            try fixture.put(Customers.jsonLines(5000..<6000), "in/b.jsonl")
            _ = try BatchJob(store: fixture.store, spec: spec(threads: threads, shardRows: shardRows)).run()
            texts.insert(try predictions(fixture).text)
        }
        #expect(texts.count == 1)
    }

    @Test func badValuesAreRejectedNamingTheColumnAndTheRestAreScored() throws {
        let (fixture, _) = try fixture()
        try fixture.put("""
            customer,recency,visits,region
            ok1,10,3,north
            bad1,ten,3,north
            bad2,,3,north
            bad3,inf,3,north
            bad4,0x10,3,north
            bad5,1e999,3,north
            ,10,3,north
            ok2, 1.5e1 ,3,
            bad6,10,3
            """, "in/a.csv")
        try fixture.put("""
            {"customer":"ok3","recency":10,"visits":3,"region":"south"}
            {"customer":"bad7","recency":"10","visits":3,"region":"south"}
            {"customer":"bad8","visits":3,"region":"south"}
            {"customer":"bad9","recency":10,"visits":3,"region":true}
            {"customer":1.5,"recency":10,"visits":3,"region":"south"}
            {"customer":17,"recency":10,"visits":3,"region":17}
            not json
            """, "in/b.jsonl")
        let summary = try BatchJob(store: fixture.store, spec: spec()).run()
        let (manifest, lines, _) = try predictions(fixture)
        #expect(Set(lines.keys) == ["ok1", "ok2", "ok3", "17"])
        #expect(summary.rows == 4 && summary.rejected == 12)
        let reasons = try JSONLines.parse(try fixture.text(manifest.rejects.key)).compactMap { record -> String? in
            guard case .object(let members) = record, case .string(let reason)? = members["reason"] else { return nil }
            return reason
        }
        #expect(reasons.count == 12)
        for words in ["\"recency\" must be a decimal number, found \"ten\"", "\"recency\" is empty; expected a number",
                      "found \"inf\"", "found \"0x10\"", "\"recency\" is out of range: 1e999",
                      "missing id: \"customer\" is empty", "expected 4 fields, found 3",
                      "field \"recency\" must be a number, found a string", "missing \"recency\": the record has no such field",
                      "field \"region\" must be a string or a whole number, found true",
                      "field \"customer\" must be a string or a whole number, found the number 1.5", "invalid JSON"] {
            #expect(reasons.contains { $0.contains(words) }, "\(words) not in \(reasons)")
        }
    }

    @Test func aMissingColumnFailsTheJobNamingItAndWritesNothing() throws {
        let (fixture, _) = try fixture()
        try fixture.put("customer,recency,visit,region\nc1,1,2,north\n", "in/a.csv")
        #expect(throws: BatchJobError.missingColumn(input: "in/a.csv", role: .feature, column: "visits",
                                                    found: ["customer", "recency", "visit", "region"])) {
            try BatchJob(store: fixture.store, spec: spec()).run()
        }
        try fixture.store.delete(bucket: "data", key: "in/a.csv")
        try fixture.put("{\"customer\":\"c1\",\"recency\":1,\"visits\":2}\n{\"customer\":\"c2\",\"recency\":1,\"visits\":2}\n", "in/b.jsonl")
        let error = #expect(throws: BatchJobError.self) { try BatchJob(store: fixture.store, spec: spec()).run() }
        #expect(error == .missingColumn(input: "in/b.jsonl", role: .feature, column: "region", found: ["customer", "recency", "visits"]))
        #expect(error?.description.contains("which the tabular model reads") == true)
        #expect(try fixture.keys(under: "out/").isEmpty)
    }
}

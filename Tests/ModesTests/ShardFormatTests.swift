import Foundation
import JSON
import LocalCloud
import Modes
import ModelCore
import Testing

/// Batch shards are canonical JSON: each line is exactly what the canonical writer writes for
/// the prediction with its probabilities and score rounded to six decimals.
@Suite struct ShardFormatTests {
    @Test func everyShardLineIsTheCanonicalTextOfTheRoundedPrediction() throws {
        let fixture = try StoreFixture()
        try ModelRegistry(store: fixture.store, bucket: "data").register(try TinyData.model(), name: "m")
        var csv = "id,text\n"
        let examples = TinyData.examples(count: 300, seed: 11)
        for (row, example) in examples.enumerated() {
            csv += "\"r\(row)\u{1}\\\"\"/é\",\"\(example.text)\"\n"
        }
        try fixture.put(csv, "in/a.csv")
        let spec = BatchJobSpec(name: "score", bucket: "data", inputPrefix: "in/", outputPrefix: "out/",
                                model: ModelReference("m@1")!, shardRows: 128)
        #expect(try BatchJob(store: fixture.store, spec: spec).run().rows == examples.count)
        let manifest = try BatchManifest(fileData: fixture.store.get(bucket: "data", key: "out/_MANIFEST.json").data)
        let lines = try manifest.shards.flatMap { try fixture.text($0.key).split(separator: "\n").map(String.init) }
        let model = try TinyData.model()
        #expect(lines.count == examples.count)
        for (row, (line, example)) in zip(lines, examples).enumerated() {
            let prediction = model.predict(example.text)
            let rounded = { (value: Double) in JSONValue.number(CanonicalNumber.rounded(value, toDecimals: 6)) }
            let expected: JSONValue = .object([
                "id": .string("r\(row)\u{1}\\\"/é"),
                "label": .string(prediction.label),
                "probabilities": .object(Dictionary(uniqueKeysWithValues: zip(prediction.labels, prediction.probabilities.map(rounded)))),
                "score": rounded(prediction.score),
            ])
            #expect(line == expected.canonicalText)
        }
    }
}

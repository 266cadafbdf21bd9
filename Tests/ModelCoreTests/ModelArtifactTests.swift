import Crypto
import Foundation
import ModelCore
import Testing

@Suite("Model artifacts: round trip and corruption")
struct ModelArtifactTests {
    let model: TrainedModel = {
        let examples = SyntheticTweets.make(count: 90, seed: 3)
        let parameters = TrainingParameters(algorithm: .logisticRegression, hashing: FeatureHashing(buckets: 256), epochs: 2)
        let classifier = try! Trainer.train(examples, parameters: parameters)
        let metrics = ClassificationMetrics(truth: ["positive"], predicted: ["positive"])
        return TrainedModel(
            metadata: ModelMetadata(parameters: parameters, trainingData: TrainingDataSummary(examples: examples, source: "synthetic"), metrics: metrics, evaluatedOn: "one row"),
            classifier: classifier
        )
    }()

    @Test("saving and loading gives the same model, id and predictions")
    func roundTrip() throws {
        let loaded = try TrainedModel(artifact: model.artifactBytes)
        #expect(loaded.modelID == model.modelID)
        #expect(loaded.classifier == model.classifier)
        #expect(loaded.metadata == model.metadata)
        #expect(loaded.predict("love it") == model.predict("love it"))
        #expect(model.modelID.count == 64)
    }

    @Test("a truncated artifact is refused and says so")
    func truncated() {
        let cut = Array(model.artifactBytes.dropLast(100))
        #expect {
            try TrainedModel(artifact: cut)
        } throws: { error in
            guard case ModelArtifactError.wrongLength(let declared, let found) = error else { return false }
            return found == declared - 100 && "\(error)".contains("truncated")
        }
    }

    @Test("an edited artifact fails its content hash")
    func edited() {
        var bytes = model.artifactBytes
        let index = bytes.lastIndex(of: UInt8(ascii: "A")) ?? bytes.count - 10
        bytes[index] = bytes[index] == UInt8(ascii: "B") ? UInt8(ascii: "C") : UInt8(ascii: "B")
        #expect {
            try TrainedModel(artifact: bytes)
        } throws: { error in
            guard case ModelArtifactError.hashMismatch = error else { return false }
            return "\(error)".contains("edited or corrupted")
        }
    }

    @Test("other files, other schemas and trailing bytes are refused")
    func notArtifacts() {
        #expect(throws: ModelArtifactError.notAnArtifact) { try TrainedModel(artifact: Array("hello world\n".utf8)) }
        #expect(throws: ModelArtifactError.notAnArtifact) { try TrainedModel(artifact: []) }
        var future = model.artifactBytes
        future[future.firstIndex(of: UInt8(ascii: "1"))!] = UInt8(ascii: "9")
        #expect(throws: ModelArtifactError.unsupportedSchema(found: "9")) { try TrainedModel(artifact: future) }
        #expect(throws: ModelArtifactError.wrongLength(declared: model.artifactBytes.count - headerLength, found: model.artifactBytes.count - headerLength + 1)) {
            try TrainedModel(artifact: model.artifactBytes + [0x0A])
        }
    }

    var headerLength: Int { model.artifactBytes.firstIndex(of: 0x0A)! + 1 }

    /// The artifact with `edit` applied to its body text and a header that matches again: what a
    /// careless tool or an attacker could write.
    func resealed(_ edit: (String) -> String) -> [UInt8] {
        let body = Array(edit(String(decoding: model.artifactBytes[headerLength...], as: UTF8.self)).utf8)
        let hash = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        return Array("rehearsal-model/1 sha256=\(hash) bytes=\(body.count)\n".utf8) + body
    }

    @Test("a re-sealed artifact with out-of-range settings is refused, naming the field")
    func outOfRangeSettings() {
        for (from, to, field) in [("\"buckets\":256", "\"buckets\":4611686018427387904", "buckets"),
                                  ("\"max_ngram\":2", "\"max_ngram\":99", "max_ngram"),
                                  ("\"char_ngram\":4", "\"char_ngram\":-5", "char_ngram")] {
            let bytes = resealed { $0.replacingOccurrences(of: from, with: to) }
            #expect {
                try TrainedModel(artifact: bytes)
            } throws: { error in
                guard case ModelArtifactError.malformed(let reason) = error else { return false }
                return reason.contains(field)
            }
        }
    }

    @Test("a re-sealed artifact whose weights are not the right size is refused")
    func wrongWeights() {
        let bytes = resealed { $0.replacingOccurrences(of: "\"buckets\":256", with: "\"buckets\":255") }
        #expect {
            try TrainedModel(artifact: bytes)
        } throws: { error in
            guard case ModelArtifactError.malformed(let reason) = error else { return false }
            return reason == "classifier.weights holds 4108 bytes; 3 labels and 255 buckets need 4092"
        }
    }

    /// The base64 text of the model's weights (biases, then table).
    var weights: String {
        let body = String(decoding: model.artifactBytes[headerLength...], as: UTF8.self)
        let start = body.range(of: "\"weights\":\"")!.upperBound
        return String(body[start...].prefix { $0 != "\"" })
    }

    @Test("weights that are not padded base64, or hold a value that is not finite, are refused, naming the field")
    func malformedWeights() throws {
        let weights = weights
        let middle = weights.index(weights.startIndex, offsetBy: weights.count / 2)
        var bytes = try #require(Data(base64Encoded: weights))
        bytes.replaceSubrange(20..<24, with: withUnsafeBytes(of: Float.infinity.bitPattern.littleEndian) { Array($0) })
        let cases: [(weights: String, reason: String)] = [
            (weights.replacingCharacters(in: middle...middle, with: "!"), "classifier.weights is not valid base64"),
            (weights.replacingCharacters(in: middle...middle, with: "="), "classifier.weights is not valid base64"),
            (String(weights.dropLast()), "classifier.weights is not valid base64"),
            (String(weights.dropLast(4)), "classifier.weights holds 4107 bytes; 3 labels and 256 buckets need 4108"),
            (bytes.base64EncodedString(), "classifier.weights holds a value that is not a finite number"),
        ]
        for (edited, reason) in cases {
            #expect(edited != weights)
            #expect {
                try TrainedModel(artifact: resealed { $0.replacingOccurrences(of: weights, with: edited) })
            } throws: { error in
                guard case ModelArtifactError.malformed(let found) = error else { return false }
                return found == reason
            }
        }
    }
}

import Crypto
import Foundation
import ModelCore
import Testing

@Suite("Tabular model artifacts: round trip, corruption and kinds")
struct TabularArtifactTests {
    static let sample = try! TabularSample(rows: 3_000, seed: 21, colours: true)
    static let model: TabularModel = {
        let parameters = TabularTrainingParameters(l2: 0.001)
        let classifier = try! TabularTrainer.train(sample.table, labels: sample.labels, parameters: parameters)
        let metadata = TabularModelMetadata(
            parameters: parameters, trainingData: TrainingDataSummary(table: sample.table, labels: sample.labels, source: "seed 21"),
            evaluation: ["baseline_hit_rate": 0.21, "auc": 0.5, "zeta": -.infinity])
        return TabularModel(metadata: metadata, classifier: classifier)
    }()
    static let textModel: TrainedModel = {
        let examples = SyntheticTweets.make(count: 90, seed: 3)
        let parameters = TrainingParameters(algorithm: .naiveBayes, hashing: FeatureHashing(buckets: 256))
        return TrainedModel(
            metadata: ModelMetadata(parameters: parameters, trainingData: TrainingDataSummary(examples: examples, source: "synthetic")),
            classifier: try! Trainer.train(examples, parameters: parameters))
    }()

    var bytes: [UInt8] { Self.model.artifactBytes }
    var headerLength: Int { bytes.firstIndex(of: 0x0A)! + 1 }
    var body: String { String(decoding: bytes[headerLength...], as: UTF8.self) }

    @Test("saving and loading gives the same model, bit for bit, and the same id")
    func roundTrip() throws {
        let loaded = try TabularModel(artifact: bytes)
        #expect(loaded.modelID == Self.model.modelID && loaded.modelID.count == 64)
        #expect(loaded.metadata == Self.model.metadata)
        #expect(TabularTrainingTests.bits(loaded.classifier) == TabularTrainingTests.bits(Self.model.classifier))
        #expect(loaded.classifier == Self.model.classifier)
        #expect(loaded.classifier.iterations == Self.model.classifier.iterations)
        #expect(loaded.classifier.probabilities(Self.sample.table).map(\.bitPattern)
                == Self.model.classifier.probabilities(Self.sample.table).map(\.bitPattern))
        #expect(TabularModel(metadata: loaded.metadata, classifier: loaded.classifier).artifactBytes == bytes)
    }

    @Test("the artifact is the shared envelope around a JSON body with sorted keys")
    func format() throws {
        let header = String(decoding: bytes[..<(headerLength - 1)], as: UTF8.self)
        let hash = SHA256.hash(data: Array(bytes[headerLength...])).map { String(format: "%02x", $0) }.joined()
        #expect(header == "rehearsal-model/1 sha256=\(hash) bytes=\(bytes.count - headerLength)")
        #expect(Self.model.modelID == hash)
        #expect(body.hasPrefix("{\"classifier\":{\"bias\":\""))
        #expect(body.contains(",\"kind\":\"tabular-logistic-regression\",\"metadata\":{\"evaluation\":{\"auc\":0.5,\"baseline_hit_rate\":0.21,\"zeta\":\"-Infinity\"},"))
        #expect(body.contains("\"parameters\":{\"balances_labels\":false,\"l2\":0.001,\"max_iterations\":50,\"tolerance\":1e-09}"))
        #expect(body.contains("\"schema\":{\"categorical\":[\"colour\"],\"categorical_buckets\":32,\"numeric\":[\"age\",\"income\",\"visits\"]}"))
        #expect(body.hasSuffix(",\"schema_version\":1}"))
    }

    @Test("the same training gives the same id; other evaluation figures give another")
    func identity() throws {
        let again = TabularModel(metadata: Self.model.metadata, classifier: try TabularTrainer.train(
            Self.sample.table, labels: Self.sample.labels, parameters: TabularTrainingParameters(l2: 0.001)))
        #expect(again.modelID == Self.model.modelID && again.artifactBytes == bytes)
        var metadata = Self.model.metadata
        metadata.evaluation["baseline_hit_rate"] = 0.22
        #expect(TabularModel(metadata: metadata, classifier: Self.model.classifier).modelID != Self.model.modelID)
    }

    @Test("truncated, edited or non-artifact bytes are refused like text artifacts")
    func corruption() {
        #expect {
            try TabularModel(artifact: Array(bytes.dropLast(40)))
        } throws: { error in
            guard case ModelArtifactError.wrongLength(let declared, let found) = error else { return false }
            return found == declared - 40 && "\(error)".contains("truncated")
        }
        var edited = bytes
        let index = edited.lastIndex(of: UInt8(ascii: "A"))!
        edited[index] = UInt8(ascii: "B")
        #expect {
            try TabularModel(artifact: edited)
        } throws: { error in
            guard case ModelArtifactError.hashMismatch = error else { return false }
            return "\(error)".contains("edited or corrupted")
        }
        #expect(throws: ModelArtifactError.notAnArtifact) { try TabularModel(artifact: Array("age,income\n1,2\n".utf8)) }
    }

    @Test("each kind of artifact refuses to load as the other, naming both kinds")
    func kinds() {
        #expect {
            try TrainedModel(artifact: bytes)
        } throws: { error in
            guard error as? ModelArtifactError == .wrongKind(found: "tabular-logistic-regression", expected: "text-classifier") else { return false }
            return "\(error)" == "the model artifact holds a tabular-logistic-regression model, but a text-classifier model was expected"
        }
        #expect(throws: ModelArtifactError.wrongKind(found: "text-classifier", expected: "tabular-logistic-regression")) {
            try TabularModel(artifact: Self.textModel.artifactBytes)
        }
        #expect(throws: ModelArtifactError.wrongKind(found: "forest", expected: "tabular-logistic-regression")) {
            try TabularModel(artifact: resealed { $0.replacingOccurrences(of: "tabular-logistic-regression", with: "forest") })
        }
    }

    /// The artifact with `edit` applied to its body and a header that matches again.
    func resealed(_ edit: (String) -> String) -> [UInt8] {
        let body = Array(edit(body).utf8)
        let hash = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        return Array("rehearsal-model/1 sha256=\(hash) bytes=\(body.count)\n".utf8) + body
    }

    /// `values` as the artifact stores them.
    func base64(_ values: [Double]) -> String {
        Data(values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }).base64EncodedString()
    }

    @Test("a re-sealed body with a malformed classifier or metadata is refused, naming the field")
    func malformed() throws {
        let classifier = Self.model.classifier
        let weights = base64(classifier.numericWeights)
        let cases: [(edit: (String) -> String, field: String)] = [
            ({ $0.replacingOccurrences(of: weights, with: self.base64(Array(classifier.numericWeights.dropLast()))) },
             "classifier.numeric_weights holds 16 bytes; 3 numeric columns need 24"),
            ({ $0.replacingOccurrences(of: self.base64([classifier.bias]), with: self.base64([.nan])) },
             "classifier.bias holds a value that is not a finite number"),
            ({ $0.replacingOccurrences(of: self.base64(classifier.scales), with: self.base64([1, -1, 1])) },
             "classifier.scales holds a value that is not positive"),
            ({ $0.replacingOccurrences(of: weights, with: "not base64!") }, "classifier.numeric_weights is not valid base64"),
            ({ $0.replacingOccurrences(of: "\"visits\"]", with: "\"age\"]") }, "\"age\" appears more than once"),
            ({ $0.replacingOccurrences(of: "\"categorical_buckets\":32", with: "\"categorical_buckets\":31") },
             "classifier.categorical_weights holds 256 bytes; 1 categorical columns of 31 buckets need 248"),
            ({ $0.replacingOccurrences(of: "\"l2\":0.001", with: "\"l2\":-1") }, "metadata.parameters.l2 must be in [0, 100], got -1.0"),
            ({ $0.replacingOccurrences(of: "\"iterations\":", with: "\"iteration\":") }, "missing field 'iterations' in 'classifier'"),
        ]
        for (edit, field) in cases {
            let edited = resealed(edit)
            #expect(edited != bytes, "the edit for \(field) changed nothing")
            #expect {
                try TabularModel(artifact: edited)
            } throws: { error in
                guard case ModelArtifactError.malformed(let reason) = error else { return false }
                return reason.contains(field)
            }
        }
    }

    @Test("both kinds of model describe themselves to the registry")
    func registrable() {
        let models: [any RegistrableModel] = [Self.model, Self.textModel]
        #expect(models.map(\.algorithmName) == ["tabular-logreg", "nb"])
        #expect(models.map(\.labels) == [["false", "true"], ["negative", "neutral", "positive"]])
        #expect(models[0].evaluation == ["baseline_hit_rate": 0.21, "auc": 0.5, "zeta": -.infinity])
        #expect(models[1].evaluation.isEmpty)
        #expect(models[0].trainingData.source == "seed 21" && models[1].trainingData.source == "synthetic")
        #expect(models.map(\.modelID) == [Self.model.modelID, Self.textModel.modelID])
        #expect(models.map(\.artifactBytes) == [Self.model.artifactBytes, Self.textModel.artifactBytes])
    }
}

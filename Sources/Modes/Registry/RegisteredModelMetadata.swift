import Foundation
import JSON
import ModelCore

/// The small `metadata.json` object stored beside each registered artifact, so listings and
/// people can see what a version is without decoding the artifact.
struct RegisteredModelMetadata: Codable {
    var name: String
    var version: Int
    var modelID: String
    var algorithm: String
    var labels: [String]
    var trainingRows: Int
    var trainingSource: String
    var trainingSHA256: String
    /// Figures measured when the model was made (a baseline hit rate, say); nil when none.
    var evaluation: [String: Double]?

    enum CodingKeys: String, CodingKey {
        case name, version, labels, algorithm
        case modelID = "model_id", trainingRows = "training_rows", trainingSource = "training_source"
        case trainingSHA256 = "training_sha256", evaluation
    }

    init(name: String, version: Int, model: some RegistrableModel) {
        self.name = name
        self.version = version
        modelID = model.modelID
        algorithm = model.algorithmName
        labels = model.labels
        trainingRows = model.trainingData.rows
        trainingSource = model.trainingData.source
        trainingSHA256 = model.trainingData.sha256
        evaluation = model.evaluation.isEmpty ? nil : model.evaluation
    }

    /// Canonical JSON (the `JSON` module's writer): sorted keys, one line.
    var jsonData: Data {
        Data(((try? JSONValue(encoding: self))?.canonicalText ?? "").utf8)
    }
}

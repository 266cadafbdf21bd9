import Foundation
import ModelCore

/// Metrics as one JSON object with sorted keys.
enum MetricsJSON {
    static func line(_ metrics: ClassificationMetrics, modelID: String) throws -> String {
        struct Output: Encodable {
            let metrics: ClassificationMetrics
            let modelID: String
            func encode(to encoder: any Encoder) throws {
                try metrics.encode(to: encoder)
                var container = encoder.container(keyedBy: Key.self)
                try container.encode(modelID, forKey: .modelID)
            }
            enum Key: String, CodingKey { case modelID = "model_id" }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(Output(metrics: metrics, modelID: modelID)), as: UTF8.self)
    }
}

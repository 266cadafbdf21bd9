import JSON
import ModelCore

/// Metrics as one line of canonical JSON (sorted keys, the one number form).
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
        return try JSONValue(encoding: Output(metrics: metrics, modelID: modelID)).canonicalText
    }
}

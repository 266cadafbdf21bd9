import JSON
import LocalCloud

/// The message a `QualityMonitor` publishes when a version's rolling accuracy falls below its
/// floor. Its body (``json``) is one canonical JSON object on one line:
///
///     {"event":"quality-degraded","floor":0.6,"labels":200,"macro_f1":0.41,"model":"sentiment",
///      "model_id":"e3c001a7…","model_version":2,"rolling_accuracy":0.55,"time":"2026-01-01T00:00:00Z","window":500}
public struct QualityDegradedEvent: Sendable, Equatable {
    /// The value of the body's `event` field.
    public static let eventName = "quality-degraded"

    public var modelName: String
    public var modelVersion: Int
    public var modelID: String
    /// The rolling accuracy that fell below the floor.
    public var rollingAccuracy: Double
    /// Macro-F1 over the same window.
    public var macroF1: Double
    public var floor: Double
    /// Labelled predictions in the window.
    public var labels: Int
    /// The window's size.
    public var window: Int
    /// When it was seen, on the monitor's clock.
    public var time: Instant

    public init(modelName: String, modelVersion: Int, modelID: String, rollingAccuracy: Double, macroF1: Double,
                floor: Double, labels: Int, window: Int, time: Instant) {
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.modelID = modelID
        self.rollingAccuracy = rollingAccuracy
        self.macroF1 = macroF1
        self.floor = floor
        self.labels = labels
        self.window = window
        self.time = time
    }

    /// The message body: canonical JSON.
    public var json: String {
        let body: JSONValue = [
            "event": .string(Self.eventName),
            "floor": .number(floor),
            "labels": .integer(labels),
            "macro_f1": .number(macroF1),
            "model": .string(modelName),
            "model_id": .string(modelID),
            "model_version": .integer(modelVersion),
            "rolling_accuracy": .number(rollingAccuracy),
            "time": .string(time.iso8601),
            "window": .integer(window),
        ]
        return body.canonicalText
    }
}

import JSON

/// The rolling quality of one model version, from the true labels received so far.
public struct QualityState: Sendable, Equatable {
    public var modelName: String
    public var modelVersion: Int
    public var modelID: String
    /// Labelled predictions in the rolling window (at most `window`).
    public var labels: Int
    /// The most labelled predictions the window holds (the last `window` are counted).
    public var window: Int
    /// Accuracy over the window; nil before the first label.
    public var accuracy: Double?
    /// Macro-F1 over the window (as ModelCore's `ClassificationMetrics`); nil before the first label.
    public var macroF1: Double?
    /// The accuracy below which the version counts as degraded; nil when there is none (no
    /// explicit floor and no test accuracy in the model's metadata).
    public var floor: Double?
    /// Whether the rolling accuracy is below the floor, over at least the minimum of labels.
    public var degraded: Bool
    /// How many times the version became degraded (one `quality-degraded` message each).
    public var degradations: Int

    public init(modelName: String, modelVersion: Int, modelID: String, labels: Int, window: Int, accuracy: Double?,
                macroF1: Double?, floor: Double?, degraded: Bool, degradations: Int) {
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.modelID = modelID
        self.labels = labels
        self.window = window
        self.accuracy = accuracy
        self.macroF1 = macroF1
        self.floor = floor
        self.degraded = degraded
        self.degradations = degradations
    }

    /// `{"accuracy","degradations","degraded","floor","labels","macro_f1","model","model_id","model_version","window"}`
    /// (unknown numbers as `null`), as a feedback response shows it.
    public var jsonValue: JSONValue {
        [
            "accuracy": accuracy.map(JSONValue.number) ?? .null,
            "degraded": .bool(degraded),
            "degradations": .integer(degradations),
            "floor": floor.map(JSONValue.number) ?? .null,
            "labels": .integer(labels),
            "macro_f1": macroF1.map(JSONValue.number) ?? .null,
            "model": .string(modelName),
            "model_id": .string(modelID),
            "model_version": .integer(modelVersion),
            "window": .integer(window),
        ]
    }
}

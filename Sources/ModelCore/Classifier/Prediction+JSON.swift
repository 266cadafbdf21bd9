extension Prediction {
    /// The prediction as one JSON object with sorted keys — `label`, `model_id`, `probabilities`
    /// (by label), `score` — plus `fields`, each a key and its value already written as JSON.
    ///
    /// Every mode writes predictions through this, so the same prediction is the same bytes
    /// whether it came from the CLI, a batch shard or a service. Numbers use Swift's shortest
    /// round-trip form, which reads back to the same `Double`.
    public func jsonObject(adding fields: [(key: String, json: String)] = []) -> String {
        let probabilityText = zip(labels, probabilities)
            .sorted { $0.0 < $1.0 }
            .map { "\(JSONText.string($0.0)):\(JSONText.number($0.1))" }
            .joined(separator: ",")
        var all = fields
        all.append(("label", JSONText.string(label)))
        all.append(("model_id", JSONText.string(modelID)))
        all.append(("probabilities", "{\(probabilityText)}"))
        all.append(("score", JSONText.number(score)))
        all.sort { $0.key < $1.key }
        return "{" + all.map { "\(JSONText.string($0.key)):\($0.json)" }.joined(separator: ",") + "}"
    }
}

extension Prediction {
    /// The prediction as one JSON object with sorted keys — `label`, `model_id`, `probabilities`
    /// (by label), `score` — plus `fields`, each a key and its value already written as JSON.
    ///
    /// `rehearse predict` writes predictions this way. Numbers use Swift's shortest round-trip
    /// form, which reads back to the same `Double`. (Batch shards use their own encoder with six
    /// fixed decimals; the two forms should become one.)
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

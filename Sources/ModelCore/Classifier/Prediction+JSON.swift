import JSON

extension Prediction {
    /// The prediction as one line of canonical JSON (see the `JSON` module): keys sorted —
    /// `label`, `model_id`, `probabilities` (by label), `score` — plus `fields`, each a key and
    /// its value already written as canonical JSON.
    ///
    /// `rehearse predict` writes predictions this way. Numbers are written in full by
    /// ``CanonicalNumber`` (shortest round-trip digits, ECMAScript layout), the one number form
    /// of Rehearsal's JSON; batch shards round to six decimals first, then write the same way.
    public func jsonObject(adding fields: [(key: String, json: String)] = []) -> String {
        let probabilityText = zip(labels, probabilities)
            .sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            .map { "\(JSONString.quoted($0.0)):\(CanonicalNumber.text($0.1))" }
            .joined(separator: ",")
        var all = fields
        all.append(("label", JSONString.quoted(label)))
        all.append(("model_id", JSONString.quoted(modelID)))
        all.append(("probabilities", "{\(probabilityText)}"))
        all.append(("score", CanonicalNumber.text(score)))
        all.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        return "{" + all.map { "\(JSONString.quoted($0.key)):\($0.json)" }.joined(separator: ",") + "}"
    }
}

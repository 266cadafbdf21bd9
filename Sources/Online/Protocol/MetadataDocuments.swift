import JSON

/// The JSON documents of the V2 metadata and health endpoints (canonical JSON).
public enum MetadataDocuments {
    /// The platform named in model metadata.
    public static let platform = "rehearsal"

    /// `GET /v2`: `{"extensions":[],"name":"rehearse","version":"…"}`.
    public static func server(version: String) -> String {
        JSONValue.object(["name": "rehearse", "version": .string(version), "extensions": []]).canonicalText
    }

    /// `GET /v2/models/{name}[/versions/{v}]`: the model's inputs and outputs (the
    /// probabilities' second dimension is the number of labels, in the order of
    /// `parameters.labels`), the version answering (`version`), every registered version
    /// (`versions`), and in `parameters` the model id, the labels, the last reload error (or
    /// null) and how many times a new version was swapped in.
    public static func model(name: String, version: Int, modelID: String, labels: [String], versions: [Int],
                             lastError: String?, reloads: Int) -> String {
        func tensor(_ name: String, _ datatype: String, _ shape: [Int]) -> JSONValue {
            .object(["name": .string(name), "datatype": .string(datatype), "shape": .array(shape.map { .integer($0) })])
        }
        return JSONValue.object([
            "name": .string(name),
            "version": .string(String(version)),
            "versions": .array(versions.map { .string(String($0)) }),
            "platform": .string(platform),
            "inputs": [tensor("text", "BYTES", [-1])],
            "outputs": [tensor("label", "BYTES", [-1]), tensor("probabilities", "FP64", [-1, labels.count]), tensor("score", "FP64", [-1])],
            "parameters": .object([
                "labels": .array(labels.map { .string($0) }),
                "model_id": .string(modelID),
                "last_error": lastError.map { .string($0) } ?? .null,
                "reloads": .integer(reloads),
            ]),
        ]).canonicalText
    }

    /// `GET /v2/models/{name}[/versions/{v}]/ready`: `{"name":"…","ready":true,"version":"…"}`.
    public static func modelReady(name: String, version: Int) -> String {
        JSONValue.object(["name": .string(name), "ready": true, "version": .string(String(version))]).canonicalText
    }
}

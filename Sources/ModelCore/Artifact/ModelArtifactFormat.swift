import Foundation

/// The body of a text-classifier artifact, inside the `ArtifactEnvelope`:
///
/// ```
/// {"classifier":{…},"metadata":{…},"schema_version":1}
/// ```
/// JSON with sorted keys, holding the schema version, the metadata and the classifier; the biases
/// and the weight table are little-endian `Float32`s, base64-encoded, so they round-trip bit for
/// bit. The body is written by `ArtifactJSON` (not Foundation's `JSONEncoder`), so the same model
/// gives the same bytes on every platform. It has no `kind` field (see `ArtifactKind`). Loading
/// reads any well-formed JSON body, including those that earlier versions wrote with `JSONEncoder`.
enum ModelArtifactFormat {
    /// The artifact bytes for a model, and its id.
    static func encode(metadata: ModelMetadata, classifier: LinearTextClassifier) -> (bytes: [UInt8], id: String) {
        let body = Body(
            schemaVersion: ArtifactEnvelope.schemaVersion,
            metadata: metadata,
            classifier: ClassifierBody(classifier)
        )
        // ArtifactJSON never throws, and none of the body's types throws while encoding itself.
        return ArtifactEnvelope.seal(try! ArtifactJSON.encode(body))
    }

    /// The metadata, classifier and id in artifact bytes, after checking them.
    static func decode(_ bytes: [UInt8]) throws -> (metadata: ModelMetadata, classifier: LinearTextClassifier, id: String) {
        let (body, id) = try ArtifactEnvelope.open(bytes)
        let decoded = try ArtifactEnvelope.decodeBody(Body.self, from: body)
        guard decoded.schemaVersion == ArtifactEnvelope.schemaVersion else {
            throw ModelArtifactError.unsupportedSchema(found: String(decoded.schemaVersion))
        }
        return (decoded.metadata, try decoded.classifier.classifier(), id)
    }

    fileprivate struct Body: Codable {
        let schemaVersion: Int
        let metadata: ModelMetadata
        let classifier: ClassifierBody

        enum CodingKeys: String, CodingKey {
            case schemaVersion = "schema_version", metadata, classifier
        }
    }
    /// The classifier as stored: its settings, and biases then table as base64 `Float32` LE.
    fileprivate struct ClassifierBody: Codable {
        let labels: [String]
        let tokenizer: TweetTokenizer
        let hashing: FeatureHashing
        let weighting: FeatureWeighting
        let weights: String

        init(_ classifier: LinearTextClassifier) {
            labels = classifier.labels
            tokenizer = classifier.tokenizer
            hashing = classifier.hashing
            weighting = classifier.weighting
            weights = LittleEndianBase64.encode(classifier.biases + classifier.table)
        }

        func classifier() throws -> LinearTextClassifier {
            guard labels.count >= 2, Set(labels).count == labels.count else {
                throw ModelArtifactError.malformed("classifier.labels must be at least two distinct labels, found \(labels)")
            }
            let (tableCount, overflow) = hashing.buckets.multipliedReportingOverflow(by: labels.count + 1)
            guard !overflow else {
                throw ModelArtifactError.malformed("classifier.hashing.buckets: \(hashing.buckets) buckets are more than a table can hold")
            }
            let values = try LittleEndianBase64.decode(
                weights, counts: [labels.count, tableCount], as: Float.self, field: "classifier.weights",
                what: "\(labels.count) labels and \(hashing.buckets) buckets")
            return LinearTextClassifier(
                labels: labels, tokenizer: tokenizer, hashing: hashing, weighting: weighting,
                table: values[1], biases: values[0]
            )
        }
    }
}

extension ModelArtifactFormat.Body {
    /// Refuses another kind of model's body before reading any of its fields.
    init(from decoder: any Decoder) throws {
        try ArtifactKind.textClassifier.require(in: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        metadata = try container.decode(ModelMetadata.self, forKey: .metadata)
        classifier = try container.decode(ModelArtifactFormat.ClassifierBody.self, forKey: .classifier)
    }
}

/// The body of a tabular model artifact, inside the `ArtifactEnvelope`:
///
/// ```
/// {"classifier":{"bias":…,"categorical_weights":…,"iterations":7,"means":…,"numeric_weights":…,
///   "scales":…,"schema":{"categorical":[…],"categorical_buckets":32,"numeric":[…]}},
///  "kind":"tabular-logistic-regression","metadata":{…},
///  "newton_checkpoint":{"coefficients":…,"means":…,"rows":1000,"scales":…,"sums":…},
///  "schema_version":1}
/// ```
/// (on one line), written by `ArtifactJSON`; `newton_checkpoint` (`NewtonCheckpoint`) only when
/// the model was stored with one. Every number of the classifier but `iterations`, and of the
/// checkpoint but `rows`, is base64 text of little-endian `Float64`s (`LittleEndianBase64`), so
/// it reads back bit for bit.
/// Loading refuses a body of another kind (`ModelArtifactError.wrongKind`) before reading it, and
/// checks the schema, the parameters and each array's length and finiteness.
enum TabularArtifactFormat {
    /// The artifact bytes for a model, and its id.
    static func encode(metadata: TabularModelMetadata, classifier: TabularClassifier, checkpoint: NewtonCheckpoint?)
        -> (bytes: [UInt8], id: String) {
        let body = Body(
            schemaVersion: ArtifactEnvelope.schemaVersion, kind: ArtifactKind.tabularLogisticRegression.rawValue,
            metadata: metadata, classifier: ClassifierBody(classifier), checkpoint: checkpoint.map(CheckpointBody.init)
        )
        // ArtifactJSON never throws, and none of the body's types throws while encoding itself.
        return ArtifactEnvelope.seal(try! ArtifactJSON.encode(body))
    }

    /// The metadata, classifier and id in artifact bytes, after checking them.
    static func decode(_ bytes: [UInt8]) throws
        -> (metadata: TabularModelMetadata, classifier: TabularClassifier, checkpoint: NewtonCheckpoint?, id: String) {
        let (body, id) = try ArtifactEnvelope.open(bytes)
        let decoded = try ArtifactEnvelope.decodeBody(Body.self, from: body)
        guard decoded.schemaVersion == ArtifactEnvelope.schemaVersion else {
            throw ModelArtifactError.unsupportedSchema(found: String(decoded.schemaVersion))
        }
        if let problem = decoded.metadata.parameters.problem {
            throw ModelArtifactError.malformed("metadata.parameters.\(problem)")
        }
        let classifier = try decoded.classifier.classifier()
        return (decoded.metadata, classifier, try decoded.checkpoint?.checkpoint(of: classifier.schema), id)
    }

    fileprivate struct Body: Codable {
        let schemaVersion: Int
        let kind: String
        let metadata: TabularModelMetadata
        let classifier: ClassifierBody
        let checkpoint: CheckpointBody?

        enum CodingKeys: String, CodingKey {
            case schemaVersion = "schema_version", kind, metadata, classifier, checkpoint = "newton_checkpoint"
        }
    }

    /// The classifier as stored.
    fileprivate struct ClassifierBody: Codable {
        let schema: TabularSchema
        let means: String
        let scales: String
        let numericWeights: String
        let categoricalWeights: String
        let bias: String
        let iterations: Int

        init(_ classifier: TabularClassifier) {
            schema = classifier.schema
            means = LittleEndianBase64.encode(classifier.means)
            scales = LittleEndianBase64.encode(classifier.scales)
            numericWeights = LittleEndianBase64.encode(classifier.numericWeights)
            categoricalWeights = LittleEndianBase64.encode(classifier.categoricalWeights)
            bias = LittleEndianBase64.encode([classifier.bias])
            iterations = classifier.iterations
        }

        func classifier() throws -> TabularClassifier {
            let numeric = schema.numeric.count
            let columns = "\(numeric) numeric columns"
            let means = try TabularArtifactFormat.values(means, field: "classifier.means", count: numeric, what: columns)
            let scales = try TabularArtifactFormat.values(scales, field: "classifier.scales", count: numeric, what: columns)
            guard scales.allSatisfy({ $0 > 0 }) else { throw ModelArtifactError.malformed("classifier.scales holds a value that is not positive") }
            let numericWeights = try TabularArtifactFormat.values(numericWeights, field: "classifier.numeric_weights", count: numeric, what: columns)
            let categoricalWeights = try TabularArtifactFormat.values(
                categoricalWeights, field: "classifier.categorical_weights", count: schema.categorical.count * schema.categoricalBuckets,
                what: "\(schema.categorical.count) categorical columns of \(schema.categoricalBuckets) buckets")
            let bias = try TabularArtifactFormat.values(bias, field: "classifier.bias", count: 1, what: "one bias")
            guard iterations >= 0 else { throw ModelArtifactError.malformed("classifier.iterations must not be negative, got \(iterations)") }
            return TabularClassifier(
                schema: schema, means: means, scales: scales, numericWeights: numericWeights,
                categoricalWeights: categoricalWeights, bias: bias[0], iterations: iterations
            )
        }

        enum CodingKeys: String, CodingKey {
            case schema, means, scales, numericWeights = "numeric_weights", categoricalWeights = "categorical_weights", bias, iterations
        }
    }

    /// The checkpoint as stored.
    fileprivate struct CheckpointBody: Codable {
        let rows: Int
        let means: String
        let scales: String
        let coefficients: String
        let sums: String

        init(_ checkpoint: NewtonCheckpoint) {
            rows = checkpoint.rows
            means = LittleEndianBase64.encode(checkpoint.means)
            scales = LittleEndianBase64.encode(checkpoint.scales)
            coefficients = LittleEndianBase64.encode(checkpoint.coefficients)
            sums = LittleEndianBase64.encode(checkpoint.sums)
        }

        /// The checkpoint, after checking it fits a classifier of `schema`.
        func checkpoint(of schema: TabularSchema) throws -> NewtonCheckpoint {
            let numeric = schema.numeric.count
            let columns = "\(numeric) numeric columns"
            let layout = NewtonLayout(dense: 1 + numeric, categorical: schema.categorical.count, buckets: schema.categoricalBuckets)
            guard rows >= 1 else { throw ModelArtifactError.malformed("newton_checkpoint.rows must be at least 1, got \(rows)") }
            let means = try TabularArtifactFormat.values(means, field: "newton_checkpoint.means", count: numeric, what: columns)
            let scales = try TabularArtifactFormat.values(scales, field: "newton_checkpoint.scales", count: numeric, what: columns)
            guard scales.allSatisfy({ $0 > 0 }) else {
                throw ModelArtifactError.malformed("newton_checkpoint.scales holds a value that is not positive")
            }
            let coefficients = try TabularArtifactFormat.values(
                coefficients, field: "newton_checkpoint.coefficients", count: layout.coefficients, what: "\(layout.coefficients) coefficients")
            let sums = try TabularArtifactFormat.values(sums, field: "newton_checkpoint.sums", count: layout.count, what: "\(layout.count) Newton sums")
            return NewtonCheckpoint(rows: rows, means: means, scales: scales, coefficients: coefficients, sums: sums)
        }
    }

    /// The `count` values stored in `text`.
    fileprivate static func values(_ text: String, field: String, count: Int, what: String) throws -> [Double] {
        try LittleEndianBase64.decode(text, counts: [count], as: Double.self, field: field, what: what)[0]
    }
}

extension TabularArtifactFormat.Body {
    /// Refuses another kind of model's body before reading any of its fields.
    init(from decoder: any Decoder) throws {
        try ArtifactKind.tabularLogisticRegression.require(in: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        kind = try container.decode(String.self, forKey: .kind)
        metadata = try container.decode(TabularModelMetadata.self, forKey: .metadata)
        classifier = try container.decode(TabularArtifactFormat.ClassifierBody.self, forKey: .classifier)
        checkpoint = try container.decodeIfPresent(TabularArtifactFormat.CheckpointBody.self, forKey: .checkpoint)
    }
}

import Crypto
import Determinism
import Foundation

/// The bytes of a model artifact file.
///
/// ```
/// rehearsal-model/1 sha256=<64 hex digits> bytes=<body length>\n
/// <body: JSON with sorted keys>
/// ```
/// The body holds the schema version, the metadata and the classifier; the biases and the
/// weight table are little-endian `Float32`s, base64-encoded, so they round-trip bit for bit.
/// The body is written by `ArtifactJSON` (not Foundation's `JSONEncoder`), so the same model
/// gives the same bytes on every platform. The model id is the SHA-256 of the body: same
/// content, same id. Loading checks the header, the length (truncation) and the hash (edits)
/// before it reads anything else; it reads any well-formed JSON body, including those that
/// earlier versions wrote with `JSONEncoder`.
enum ModelArtifactFormat {
    static let magic = "rehearsal-model/"
    static let schemaVersion = 1

    /// Metrics can be NaN or infinite in principle; `ArtifactJSON` writes them as these strings.
    private static let nonFiniteDecoding = JSONDecoder.NonConformingFloatDecodingStrategy.convertFromString(
        positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")

    /// The artifact bytes for a model, and its id.
    static func encode(metadata: ModelMetadata, classifier: LinearTextClassifier) -> (bytes: [UInt8], id: String) {
        let body = Body(
            schemaVersion: schemaVersion,
            metadata: metadata,
            classifier: ClassifierBody(classifier)
        )
        // ArtifactJSON never throws, and none of the body's types throws while encoding itself.
        let bodyBytes = try! ArtifactJSON.encode(body)
        let id = Hex.string(SHA256.hash(data: bodyBytes))
        let header = "\(magic)\(schemaVersion) sha256=\(id) bytes=\(bodyBytes.count)\n"
        return (Array(header.utf8) + bodyBytes, id)
    }

    /// The metadata, classifier and id in artifact bytes, after checking them.
    static func decode(_ bytes: [UInt8]) throws -> (metadata: ModelMetadata, classifier: LinearTextClassifier, id: String) {
        guard let newline = bytes.prefix(512).firstIndex(of: 0x0A) else { throw ModelArtifactError.notAnArtifact }
        let header = String(decoding: bytes[..<newline], as: UTF8.self)
        let fields = header.split(separator: " ")
        guard fields.count == 3, fields[0].hasPrefix(magic),
              fields[1].hasPrefix("sha256="), fields[2].hasPrefix("bytes="),
              let declaredLength = Int(fields[2].dropFirst("bytes=".count))
        else { throw ModelArtifactError.notAnArtifact }
        let version = String(fields[0].dropFirst(magic.count))
        guard version == String(schemaVersion) else { throw ModelArtifactError.unsupportedSchema(found: version) }
        let body = bytes[(newline + 1)...]
        guard body.count == declaredLength else {
            throw ModelArtifactError.wrongLength(declared: declaredLength, found: body.count)
        }
        let declaredHash = String(fields[1].dropFirst("sha256=".count))
        let computedHash = Hex.string(SHA256.hash(data: body))
        guard declaredHash == computedHash else {
            throw ModelArtifactError.hashMismatch(declared: declaredHash, computed: computedHash)
        }
        let decoded: Body
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = nonFiniteDecoding
            decoded = try decoder.decode(Body.self, from: Data(body))
        } catch let error as DecodingError {
            throw ModelArtifactError.malformed(DecodingErrorText.describe(error))
        }
        guard decoded.schemaVersion == schemaVersion else {
            throw ModelArtifactError.unsupportedSchema(found: String(decoded.schemaVersion))
        }
        return (decoded.metadata, try decoded.classifier.classifier(), computedHash)
    }

    private struct Body: Codable {
        let schemaVersion: Int
        let metadata: ModelMetadata
        let classifier: ClassifierBody

        enum CodingKeys: String, CodingKey {
            case schemaVersion = "schema_version", metadata, classifier
        }
    }

    /// The classifier as stored: its settings, and biases then table as base64 `Float32` LE.
    private struct ClassifierBody: Codable {
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
            var bytes: [UInt8] = []
            bytes.reserveCapacity((classifier.biases.count + classifier.table.count) * 4)
            for value in classifier.biases + classifier.table {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
            weights = Data(bytes).base64EncodedString()
        }

        func classifier() throws -> LinearTextClassifier {
            guard labels.count >= 2, Set(labels).count == labels.count else {
                throw ModelArtifactError.malformed("classifier.labels must be at least two distinct labels, found \(labels)")
            }
            guard let data = Data(base64Encoded: weights) else {
                throw ModelArtifactError.malformed("classifier.weights is not valid base64")
            }
            let (tableFloats, overflow) = hashing.buckets.multipliedReportingOverflow(by: labels.count + 1)
            let expectedFloats = labels.count + tableFloats
            guard !overflow, data.count == expectedFloats * 4 else {
                throw ModelArtifactError.malformed(
                    "classifier.weights holds \(data.count) bytes; \(labels.count) labels and \(hashing.buckets) buckets need \(expectedFloats * 4)")
            }
            let floats = data.withUnsafeBytes { raw in
                (0..<expectedFloats).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
            guard floats.allSatisfy(\.isFinite) else {
                throw ModelArtifactError.malformed("classifier.weights holds a value that is not a finite number")
            }
            return LinearTextClassifier(
                labels: labels, tokenizer: tokenizer, hashing: hashing, weighting: weighting,
                table: Array(floats[labels.count...]), biases: Array(floats[..<labels.count])
            )
        }
    }
}

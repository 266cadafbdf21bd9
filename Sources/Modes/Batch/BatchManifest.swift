import Foundation

/// The `_MANIFEST.json` object a batch run writes last, `_SUCCESS`-style: it exists only for a
/// complete run, and it says which inputs (and generations) made which outputs.
///
/// Readers start from the manifest and read only the shards it lists, so a run that replaces
/// another is atomic for them: the manifest flips from the old run's folder to the new one in
/// one object write.
public struct BatchManifest: Sendable, Equatable, Codable {
    /// The manifest's file name under the output prefix.
    public static let fileName = "_MANIFEST.json"

    /// One input object.
    public struct Input: Sendable, Equatable, Codable {
        /// The input object's key.
        public let key: String
        /// The generation that was read.
        public let generation: Int64
        /// Rows predicted from it.
        public let rows: Int
        /// Rows rejected from it.
        public let rejected: Int
    }

    /// One output object with its checksum.
    public struct Output: Sendable, Equatable, Codable {
        /// The output object's key.
        public let key: String
        /// Rows (lines) in it.
        public let rows: Int
        /// The MD5 (hex) of its bytes: the object's ETag, as S3 and GCS report it.
        public let md5: String
    }

    /// The model that made every prediction.
    public struct Model: Sendable, Equatable, Codable {
        /// The registered model name.
        public let name: String
        /// The registry version.
        public let version: Int
        /// The model id (SHA-256 of the artifact's content).
        public let id: String
    }

    /// The job's name.
    public let job: String
    /// The run folder's name, derived from the job's settings, the model and the inputs'
    /// generations: the same inputs give the same run, so a killed run is redone in place.
    public let run: String
    /// The model that made every prediction.
    public let model: Model
    /// Inputs in key order.
    public let inputs: [Input]
    /// Prediction shards in order; their concatenation is every prediction in input order.
    public let shards: [Output]
    /// The rejects object (JSON Lines of `{"input","line","reason"}`), possibly empty.
    public let rejects: Output
    /// Predicted rows per label, sorted by label.
    public let labelCounts: [String: Int]
    /// Total predicted rows.
    public let rows: Int
    /// Total rejected rows.
    public let rejected: Int
    /// SHA-256 of all shards concatenated: the same for any shard size and thread count.
    public let predictionsSHA256: String

    enum CodingKeys: String, CodingKey {
        case job, run, model, inputs, shards, rejects, rows, rejected
        case labelCounts = "label_counts", predictionsSHA256 = "predictions_sha256"
    }

    /// The manifest as stored: JSON with sorted keys, indented, and a final newline.
    public var fileData: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return ((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8)
    }

    /// Reads a stored manifest.
    public init(fileData: Data) throws {
        self = try JSONDecoder().decode(BatchManifest.self, from: fileData)
    }

    init(job: String, run: String, model: Model, inputs: [Input], shards: [Output], rejects: Output,
         labelCounts: [String: Int], rows: Int, rejected: Int, predictionsSHA256: String) {
        self.job = job
        self.run = run
        self.model = model
        self.inputs = inputs
        self.shards = shards
        self.rejects = rejects
        self.labelCounts = labelCounts
        self.rows = rows
        self.rejected = rejected
        self.predictionsSHA256 = predictionsSHA256
    }
}

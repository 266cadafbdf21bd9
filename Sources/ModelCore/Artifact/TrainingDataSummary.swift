import Crypto
import Determinism

/// Which data a model was trained on, so two artifacts can be traced to the same data.
public struct TrainingDataSummary: Sendable, Equatable, Codable {
    /// SHA-256 (hex) over every example in training order. For text examples, each as its label
    /// and then its text, each of those as its UTF-8 length (8 bytes, big-endian) followed by its
    /// UTF-8 bytes — so no two different training sets hash alike, whatever their texts contain.
    /// For tables, see `init(table:labels:source:)`.
    public let sha256: String
    /// How many examples there were.
    public let rows: Int
    /// Where they came from, for people (e.g. "corpus train split").
    public let source: String

    /// A summary from its parts (e.g. one computed elsewhere, or read back from a registry).
    public init(sha256: String, rows: Int, source: String) {
        self.sha256 = sha256
        self.rows = rows
        self.source = source
    }

    /// The summary of `examples`.
    public init(examples: [LabeledText], source: String) {
        var hasher = SHA256()
        func feed(_ field: String) {
            let bytes = Array(field.utf8)
            withUnsafeBytes(of: UInt64(bytes.count).bigEndian) { hasher.update(bufferPointer: $0) }
            hasher.update(data: bytes)
        }
        for example in examples {
            feed(example.label)
            feed(example.text)
        }
        sha256 = Hex.string(hasher.finalize())
        rows = examples.count
        self.source = source
    }
}

import Crypto

/// Which data a model was trained on, so two artifacts can be traced to the same data.
public struct TrainingDataSummary: Sendable, Equatable, Codable {
    /// SHA-256 (hex) over every example as `label`, TAB, `text`, LF, in training order.
    public let sha256: String
    /// How many examples there were.
    public let rows: Int
    /// Where they came from, for people (e.g. "corpus train split").
    public let source: String

    /// The summary of `examples`.
    public init(examples: [LabeledText], source: String) {
        var hasher = SHA256()
        for example in examples {
            hasher.update(data: Array("\(example.label)\t\(example.text)\n".utf8))
        }
        sha256 = Hex.string(hasher.finalize())
        rows = examples.count
        self.source = source
    }
}

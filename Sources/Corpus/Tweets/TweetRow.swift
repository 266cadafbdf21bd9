import ModelCore

/// One labelled tweet of the corpus.
public struct TweetRow: Sendable, Equatable {
    /// The 1-based number of the record in the file, header not counted: a stable row id.
    public let number: Int
    /// The 1-based line of the file on which the record starts.
    public let line: Int
    /// The crowd's label: `positive`, `negative` or `neutral`.
    public let sentiment: String
    /// The crowd's agreement on the label, in [0, 1]; nil where the file leaves it empty.
    public let confidence: Double?
    /// The text, with CR, LF and TAB turned into spaces.
    public let text: String
    /// The text's bucket in 0..<100 (see `CorpusSplit.bucket(of:)`).
    public let bucket: Int
    /// The side of the split the row falls on.
    public var split: CorpusSplit { bucket >= 80 ? .test : .train }

    /// A row; `split` follows from `text`.
    public init(number: Int, line: Int, sentiment: String, confidence: Double?, text: String) {
        self.number = number
        self.line = line
        self.sentiment = sentiment
        self.confidence = confidence
        self.text = text
        bucket = CorpusSplit.bucket(of: text)
    }

    /// The row as a training or evaluation example.
    public var example: LabeledText { LabeledText(text: text, label: sentiment) }
}

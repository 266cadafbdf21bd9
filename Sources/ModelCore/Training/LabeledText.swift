/// One training or evaluation example: a text and its true label.
public struct LabeledText: Sendable, Equatable {
    /// The text.
    public var text: String
    /// The true label.
    public var label: String

    /// An example.
    public init(text: String, label: String) {
        self.text = text
        self.label = label
    }
}

import JSON

/// One output a scenario captured, before normalisation.
public enum Capture: Sendable, Equatable {
    /// A sequence of JSON records, kept as a JSON Lines golden (`.jsonl`).
    case records([JSONValue])
    /// Plain text, kept as a text golden (`.txt`).
    case text(String)

    /// The golden file format this capture is kept in.
    public var format: GoldenFormat {
        switch self {
        case .records: .jsonLines
        case .text: .text
        }
    }
}

/// The file format of a golden, which fixes its extension.
public enum GoldenFormat: String, Sendable, Equatable, Hashable, CaseIterable {
    /// Canonical JSON Lines, `.jsonl`.
    case jsonLines = "jsonl"
    /// Plain text, `.txt`; line endings normalised to `\n` and a final newline added.
    case text = "txt"

    /// The file extension, without the dot.
    public var fileExtension: String { rawValue }
}

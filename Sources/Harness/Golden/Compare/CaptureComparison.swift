/// The result of comparing one capture with its golden. Comparison writes nothing.
public struct CaptureComparison: Sendable, Equatable {
    /// How the capture relates to its golden.
    public enum Status: Sendable, Equatable {
        /// Equal after normalisation (numbers within tolerance count as equal).
        case matched
        /// Different: see ``CaptureComparison/diff``.
        case differs
        /// No golden file exists.
        case missingGolden
        /// The golden has merge-conflict markers; it counts as missing.
        case conflictedGolden
        /// The golden is not valid JSON Lines: the reason, with line and column.
        case malformedGolden(String)
    }

    /// Which golden this is.
    public let key: GoldenKey
    /// How the capture relates to its golden.
    public let status: Status
    /// A unified diff from the golden to ``actualText``; empty when matched or missing.
    public let diff: String
    /// The canonical text of the capture, ready to be written as a golden or pending file.
    /// Numbers within tolerance already carry their golden values, so accepting it rewrites
    /// only what really changed.
    public let actualText: String
    /// The capture's redaction and tolerance paths that matched no field of any record
    /// (`Normalisation.unusedPaths`): said in the report, as a misspelling would be.
    public var unusedPaths: [String] = []

    /// Creates a comparison result.
    public init(key: GoldenKey, status: Status, diff: String, actualText: String) {
        self.key = key
        self.status = status
        self.diff = diff
        self.actualText = actualText
    }

    /// Whether there is no usable golden (missing or conflicted).
    public var goldenIsMissing: Bool { status == .missingGolden || status == .conflictedGolden }
}

/// What happened to one capture in a run: its comparison and what was written because of it.
public struct CaptureOutcome: Sendable, Equatable {
    /// What the run did on disk for this capture.
    public enum Action: Sendable, Equatable {
        /// Nothing was written or removed.
        case none
        /// The result was written as a pending `.new` file for review.
        case wrotePending
        /// The golden was written (update mode).
        case wroteGolden
        /// The capture matched and an outdated `.new` beside its golden was removed.
        case removedStalePending
    }

    /// The comparison with the golden.
    public let comparison: CaptureComparison
    /// What was written or removed.
    public let action: Action
    /// The golden file's path (the pending file is this plus `.new`).
    public let goldenPath: String

    /// Creates an outcome.
    public init(comparison: CaptureComparison, action: Action, goldenPath: String) {
        self.comparison = comparison
        self.action = action
        self.goldenPath = goldenPath
    }

    /// Which golden this is.
    public var key: GoldenKey { comparison.key }

    /// Whether the capture passes: it matched, or its golden was just written (update mode).
    /// A missing golden with only a pending file written does not pass until it is accepted.
    public var passed: Bool { comparison.status == .matched || action == .wroteGolden }
}

/// A pending `.new` file waiting for review beside the golden it would replace.
public struct PendingResult: Sendable, Equatable {
    /// Which golden it would replace (or create).
    public let key: GoldenKey
    /// The `.new` file.
    public let pendingPath: String
    /// The golden file, which may not exist yet.
    public let goldenPath: String

    /// Creates a pending result.
    public init(key: GoldenKey, pendingPath: String, goldenPath: String) {
        self.key = key
        self.pendingPath = pendingPath
        self.goldenPath = goldenPath
    }
}

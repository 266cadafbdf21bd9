/// Faults a scenario can inject into one batch run.
public struct BatchFaults: Sendable, Equatable {
    /// Stop dead after writing this many prediction shards, as if the process were killed:
    /// no rejects object, no manifest, no clean-up.
    public var killAfterShards: Int?

    /// Faults to inject; none by default.
    public init(killAfterShards: Int? = nil) {
        self.killAfterShards = killAfterShards
    }

    /// No faults.
    public static let none = BatchFaults()
}

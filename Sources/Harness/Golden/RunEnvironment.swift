/// What the harness needs to know about the environment it runs in, injected so tests (and
/// the runner) control it rather than the process environment.
public struct RunEnvironment: Sendable, Equatable {
    /// Whether this is a CI run: nothing is ever written, and missing goldens fail.
    public var isCI: Bool

    /// Creates an environment.
    public init(isCI: Bool) {
        self.isCI = isCI
    }

    /// Reads the environment variables given (pass `ProcessInfo.processInfo.environment`):
    /// CI when `CI` is set to anything but the empty string, `0` or `false` (any case).
    public init(variables: [String: String]) {
        guard let value = variables["CI"] else {
            self.init(isCI: false)
            return
        }
        let off = ["", "0", "false"].contains(value.lowercased())
        self.init(isCI: !off)
    }
}

/// How a run treats goldens that differ or are missing (insta's modes).
public enum GoldenMode: String, Sendable, Equatable, CaseIterable {
    /// Compare; write differing or missing results as pending `.new` files (not under CI).
    case check
    /// Compare; rewrite goldens that differ or are missing and remove stale `.new` files
    /// (not under CI, where update behaves as check and writes nothing).
    case update
}

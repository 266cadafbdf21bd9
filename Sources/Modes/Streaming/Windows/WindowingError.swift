/// A window, trigger or watermark setting that cannot work, named with what was expected.
public struct WindowingError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The setting, as a path from the engine's parameters (e.g. `windows[1].period`,
    /// `trigger.allowedLateness`, `watermarkDelay`).
    public let field: String
    /// What was expected and what was given.
    public let reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "invalid \(field): \(reason)" }
}

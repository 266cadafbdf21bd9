/// Where interactive review reads answers and writes prompts: injected so tests drive it.
public struct ReviewConsole {
    /// Returns the next line typed (without its newline), or nil at end of input.
    public var readLine: () -> String?
    /// Writes text as is (prompts have no trailing newline).
    public var write: (String) -> Void
    /// Whether to colour diffs with ANSI escapes (true only for a terminal).
    public var colour: Bool

    /// Creates a console.
    public init(readLine: @escaping () -> String?, write: @escaping (String) -> Void, colour: Bool) {
        self.readLine = readLine
        self.write = write
        self.colour = colour
    }
}

/// What an interactive review did.
public struct ReviewSummary: Sendable, Equatable {
    /// Pending results moved over their goldens.
    public var accepted: [GoldenKey] = []
    /// Pending results deleted.
    public var rejected: [GoldenKey] = []
    /// Pending results left for later.
    public var skipped: [GoldenKey] = []

    /// Creates an empty summary.
    public init() {}

    /// `accepted N, rejected N, skipped N`.
    public var line: String { "accepted \(accepted.count), rejected \(rejected.count), skipped \(skipped.count)" }
}

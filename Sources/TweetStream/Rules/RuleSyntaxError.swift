/// Why a rule's value is not a rule: what was wrong, where, and what was expected.
///
/// `position` counts characters of the value from 1 (0 for problems with the whole rule, such
/// as its length). The description reads like v2's rule errors, e.g. `unbalanced parenthesis at
/// position 3: this ( is never closed; expected a ) after it`.
public struct RuleSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The 1-based character position of the problem, 0 when it concerns the whole rule.
    public let position: Int
    /// What is wrong and what was expected there.
    public let message: String

    /// An error at `position` (1-based; 0 for the whole rule).
    public init(position: Int, _ message: String) {
        self.position = position
        self.message = message
    }

    public var description: String { message }
}

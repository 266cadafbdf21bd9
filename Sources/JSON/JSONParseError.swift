/// Why a JSON text was refused, and where: 1-based line and column (columns count characters).
public struct JSONParseError: Error, Equatable, CustomStringConvertible {
    /// 1-based line of the offending character.
    public let line: Int
    /// 1-based column of the offending character, counted in Unicode scalars.
    public let column: Int
    /// What was found and what was expected instead.
    public let message: String

    /// Creates an error at a position.
    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// `line L, column C: message`.
    public var description: String { "line \(line), column \(column): \(message)" }
}

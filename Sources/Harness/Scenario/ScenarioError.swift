/// A problem in a scenario file, pointing at the file, line and column at fault.
public struct ScenarioError: Error, Equatable, CustomStringConvertible {
    /// The scenario file's path, as given.
    public let file: String
    /// 1-based line, 0 when the problem is the whole file.
    public let line: Int
    /// 1-based column, 0 when the problem is the whole file.
    public let column: Int
    /// What is wrong and, where it helps, what would be right.
    public let message: String

    /// Creates an error.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message` (the form editors and CI annotations understand).
    public var description: String {
        line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
    }
}

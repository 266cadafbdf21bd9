/// One record of a CSV file.
public struct CSVRecord: Sendable, Equatable {
    /// The fields, decoded as UTF-8 with invalid bytes replaced by U+FFFD.
    public let fields: [String]
    /// The 1-based line of the file on which the record starts.
    public let line: Int

    /// A record.
    public init(fields: [String], line: Int) {
        self.fields = fields
        self.line = line
    }
}

/// A record the reader could not make sense of; reading goes on after it.
public struct CSVProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line on which the malformed record starts.
    public let line: Int
    /// What was wrong and what was expected.
    public let message: String

    public var description: String { "line \(line): \(message)" }
}

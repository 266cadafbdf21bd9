import CSQLite

/// An error reported by SQLite, with the database file and the statement that failed.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The SQLite result code (`SQLITE_BUSY`, `SQLITE_CORRUPT`, …).
    public let code: Int32
    /// SQLite's own message for the failure.
    public let message: String
    /// The database file the failure happened in.
    public let path: String
    /// The SQL text being run, when the failure came from a statement.
    public let sql: String?

    public var description: String {
        var text = "SQLite error \(code) in \(path): \(message)"
        if let sql { text += " (while running: \(sql))" }
        return text
    }
}

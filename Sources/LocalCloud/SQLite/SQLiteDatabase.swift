import CSQLite
import Foundation

/// One connection to a SQLite database file in WAL mode, with a cache of prepared statements.
///
/// Not thread-safe by itself: every owner (object index, queue, schedule store) guards its
/// connection with a lock. Several processes may open the same file; writes go through
/// `immediateTransaction`, which takes SQLite's write lock up front and waits (up to the busy
/// timeout) for other writers instead of failing.
final class SQLiteDatabase {
    let handle: OpaquePointer
    let path: String
    private var statements: [String: SQLiteStatement] = [:]

    /// How hard a commit works to survive a power loss.
    enum Synchronous: String {
        /// WAL with `synchronous=NORMAL`: a killed process loses nothing; a power loss may lose
        /// the last transactions but never corrupts the file.
        case normal = "NORMAL"
        /// `synchronous=FULL`: every commit is fsynced.
        case full = "FULL"
    }

    /// Opens (creating if needed) the database at `path`. `pageSize` applies only when the file
    /// is new; small pages suit databases of many small rows written one transaction at a time,
    /// since every commit appends each page it touched to the WAL.
    ///
    /// With `readOnly`, the file must exist and is opened with `SQLITE_OPEN_READONLY`: nothing is
    /// created or changed (no pragmas are set), and any write fails with `SQLITE_READONLY`.
    init(path: String, readOnly: Bool = false, synchronous: Synchronous = .normal, busyTimeout: Duration = .seconds(60),
         pageSize: Int? = nil) throws {
        var connection: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &connection, flags, nil)
        guard code == SQLITE_OK, let connection else {
            let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(connection)
            throw SQLiteError(code: code, message: message, path: path, sql: nil)
        }
        self.handle = connection
        self.path = path
        let milliseconds = busyTimeout.components.seconds * 1000
            + busyTimeout.components.attoseconds / 1_000_000_000_000_000
        sqlite3_busy_timeout(connection, Int32(clamping: milliseconds))
        if readOnly { return }
        if let pageSize {
            try execute("PRAGMA page_size=\(pageSize)")
            // Keep the WAL at about 4 MB between checkpoints (each checkpoint fsyncs).
            try execute("PRAGMA wal_autocheckpoint=\(4_194_304 / pageSize)")
        }
        try execute("PRAGMA journal_mode=WAL")
        try execute("PRAGMA synchronous=\(synchronous.rawValue)")
        try execute("PRAGMA foreign_keys=ON")
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements that take no parameters (schema, pragmas).
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw SQLiteError(code: code, message: text, path: path, sql: sql)
        }
    }

    /// The cached prepared statement for `sql`, preparing it on first use.
    func statement(_ sql: String) throws -> SQLiteStatement {
        if let cached = statements[sql] { return cached }
        let prepared = try SQLiteStatement(database: self, sql: sql)
        statements[sql] = prepared
        return prepared
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back if it throws.
    func immediateTransaction<Result>(_ body: () throws -> Result) throws -> Result {
        try statement("BEGIN IMMEDIATE").run()
        do {
            let result = try body()
            try statement("COMMIT").run()
            return result
        } catch {
            try? statement("ROLLBACK").run()
            throw error
        }
    }

    /// Runs `body` inside a deferred (read) transaction, so all its reads see one snapshot.
    func readTransaction<Result>(_ body: () throws -> Result) throws -> Result {
        try statement("BEGIN").run()
        defer { try? statement("COMMIT").run() }
        return try body()
    }

    /// The rowid of the row the last successful INSERT added.
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// The number of rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    func error(code: Int32, sql: String?) -> SQLiteError {
        SQLiteError(code: code, message: String(cString: sqlite3_errmsg(handle)), path: path, sql: sql)
    }
}

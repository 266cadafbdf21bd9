import CSQLite
import Foundation

/// SQLite's "transient" destructor: it copies bound text and blobs before the bind call returns.
private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement, kept in its connection's cache and reused across calls.
///
/// Not thread-safe: it belongs to one `SQLiteDatabase`, whose owner serializes access.
final class SQLiteStatement {
    private let handle: OpaquePointer
    /// Unowned: the database keeps its statements in a cache, so a strong reference back would
    /// keep both alive forever — a connection and its file descriptors leaked per database. A
    /// statement is only ever used while its database is.
    private unowned let database: SQLiteDatabase
    let sql: String

    init(database: SQLiteDatabase, sql: String) throws {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(database.handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw database.error(code: code, sql: sql)
        }
        self.handle = statement
        self.database = database
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Resets the statement and binds `values` to its parameters, in order.
    func bind(_ values: [SQLiteValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .integer(let number): code = sqlite3_bind_int64(handle, index, number)
            case .text(let text):
                // Bound with its byte length, so a text holding NUL is stored whole, not cut at it.
                var text = text
                code = text.withUTF8 { bytes in
                    // An empty text still needs a non-null pointer to be stored as text, not NULL.
                    let start = UnsafeRawPointer(bytes.baseAddress) ?? UnsafeRawPointer(bitPattern: 1)!
                    return sqlite3_bind_text(handle, index, start.assumingMemoryBound(to: CChar.self),
                                             Int32(bytes.count), transientDestructor)
                }
            case .blob(let data):
                code = data.withUnsafeBytes { bytes in
                    // A zero-length blob still needs a non-null pointer to be stored as a blob.
                    sqlite3_bind_blob(handle, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                                      Int32(bytes.count), transientDestructor)
                }
            case .null: code = sqlite3_bind_null(handle, index)
            }
            guard code == SQLITE_OK else { throw database.error(code: code, sql: sql) }
        }
    }

    /// Ends the current run so the statement can be bound again (needed after stopping early).
    func reset() { sqlite3_reset(handle) }

    /// Advances to the next row; `false` once the statement is done.
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = database.error(code: code, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Binds `values` and runs the statement to completion, ignoring any rows.
    func run(_ values: [SQLiteValue] = []) throws {
        try bind(values)
        while try step() {}
        sqlite3_reset(handle)
    }

    /// Binds `values`, runs the statement, and returns what `read` makes of each row.
    func rows<Row>(_ values: [SQLiteValue] = [], _ read: (SQLiteStatement) throws -> Row) throws -> [Row] {
        try bind(values)
        var result: [Row] = []
        while try step() { result.append(try read(self)) }
        sqlite3_reset(handle)
        return result
    }

    /// Binds `values` and returns what `read` makes of the first row, if there is one.
    func firstRow<Row>(_ values: [SQLiteValue] = [], _ read: (SQLiteStatement) throws -> Row) throws -> Row? {
        try bind(values)
        defer { sqlite3_reset(handle) }
        return try step() ? try read(self) : nil
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    /// The column as text, all of its bytes (a NUL inside does not end it).
    func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    func optionalString(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }

    func data(_ column: Int32) -> Data {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return Data() }
        return Data(bytes: bytes, count: count)
    }
}

import Foundation

/// The embedded table sink: one SQLite database in WAL mode (`sink.sqlite` in a sandbox).
///
/// Each write is one `BEGIN IMMEDIATE` transaction, so several processes (the workers of a
/// pipeline) can write at once, and a write either lands whole or not at all when a process is
/// killed. Thread-safe: the connection lives inside a `SleepingMutex`.
public final class SQLiteTableSink: TableSink, Sendable {
    /// The database file.
    public let path: String
    private let connection: SleepingMutex<SQLiteDatabase>

    private static let schemaVersion: Int32 = 1
    private static let schema = """
        CREATE TABLE IF NOT EXISTS rows (
            table_name TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,
            PRIMARY KEY (table_name, key)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
        """

    /// Opens (creating if needed) the sink database at `path`.
    /// - Parameter durable: fsync every commit (`synchronous=FULL`), to survive a power loss too.
    public init(path: String, durable: Bool = false) throws {
        self.path = path
        let database = try SQLiteDatabase(path: path, synchronous: durable ? .full : .normal)
        try database.prepareSchema(version: Self.schemaVersion) { _ in try database.execute(Self.schema) }
        connection = SleepingMutex(database)
    }

    @discardableResult
    public func write(_ rows: [SinkRow], checkpoint: SinkCheckpoint?) throws -> SinkWriteResult {
        try connection.withLock { database in
            try database.immediateTransaction {
                var result = SinkWriteResult()
                let insert = try database.statement(
                    "INSERT INTO rows (table_name, key, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                for row in rows {
                    try insert.run([.text(row.table), .text(row.key), .blob(row.value)])
                    if database.changes == 1 {
                        result.inserted += 1
                        continue
                    }
                    result.alreadyStored += 1
                    let stored = try database.statement("SELECT value FROM rows WHERE table_name = ? AND key = ?")
                        .firstRow([.text(row.table), .text(row.key)]) { $0.data(0) }
                    if stored != row.value { result.conflicting.append("\(row.table)/\(row.key)") }
                }
                if let checkpoint {
                    try database.statement("INSERT OR REPLACE INTO checkpoints (name, value) VALUES (?, ?)")
                        .run([.text(checkpoint.name), .blob(checkpoint.value)])
                }
                return result
            }
        }
    }

    public func value(table: String, key: String) throws -> Data? {
        try connection.withLock { database in
            try database.statement("SELECT value FROM rows WHERE table_name = ? AND key = ?")
                .firstRow([.text(table), .text(key)]) { $0.data(0) }
        }
    }

    public func values(table: String, keys: [String]) throws -> [String: Data] {
        try connection.withLock { database in
            try database.readTransaction {
                let select = try database.statement("SELECT value FROM rows WHERE table_name = ? AND key = ?")
                var found: [String: Data] = [:]
                for key in keys {
                    if let value = try select.firstRow([.text(table), .text(key)], { $0.data(0) }) { found[key] = value }
                }
                return found
            }
        }
    }

    public func rows(table: String, after key: String?, limit: Int) throws -> [SinkRow] {
        try connection.withLock { database in
            try database.statement("""
                SELECT key, value FROM rows WHERE table_name = ?1 AND (?2 IS NULL OR key > ?2)
                ORDER BY key LIMIT ?3
                """).rows([.text(table), .optional(key), .integer(Int64(max(limit, 0)))]) {
                SinkRow(table: table, key: $0.string(0), value: $0.data(1))
            }
        }
    }

    public func count(table: String) throws -> Int {
        try connection.withLock { database in
            Int(try database.statement("SELECT count(*) FROM rows WHERE table_name = ?").firstRow([.text(table)]) { $0.int64(0) } ?? 0)
        }
    }

    public func checkpoint(_ name: String) throws -> Data? {
        try connection.withLock { database in
            try database.statement("SELECT value FROM checkpoints WHERE name = ?").firstRow([.text(name)]) { $0.data(0) }
        }
    }
}

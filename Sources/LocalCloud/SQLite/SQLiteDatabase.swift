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
    /// Told the WAL's length after each commit (`reportWALLength(to:)`); released only after the
    /// connection is closed, so the hook never outlives it.
    private var walObserver: WALCheckpointer?

    /// Process-wide settings, made once before the first connection opens: SQLite's memory
    /// statistics off (they put one mutex around every allocation of every connection, so the
    /// queue's, the sink's and the index's threads would wait on each other; nothing reads them).
    private static let configured: Void = {
        _ = rehearsal_sqlite3_disable_memory_statistics()
    }()

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
    /// Safe when several processes open the same new file at once: the busy timeout is set
    /// before anything touches the file, and the switch to WAL (which needs an exclusive lock
    /// and does not always wait on the busy handler) is retried for up to `busyTimeout`. Create
    /// the schema with `prepareSchema(version:_:)`, which is one conditional write transaction.
    ///
    /// With `readOnly`, the file must exist and is opened with `SQLITE_OPEN_READONLY`: nothing is
    /// created or changed (no pragmas are set), and any write fails with `SQLITE_READONLY`. With
    /// `mustExist`, a missing file is an error instead of being created.
    init(path: String, readOnly: Bool = false, mustExist: Bool = false, synchronous: Synchronous = .normal,
         busyTimeout: Duration = .seconds(60), pageSize: Int? = nil) throws {
        _ = Self.configured
        var connection: OpaquePointer?
        let create = readOnly || mustExist ? 0 : SQLITE_OPEN_CREATE
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | create) | SQLITE_OPEN_NOMUTEX
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
        try switchToWAL(patience: milliseconds)
        try execute("PRAGMA synchronous=\(synchronous.rawValue)")
        try execute("PRAGMA foreign_keys=ON")
    }

    /// Puts the file in WAL mode (a no-op once it is). Switching takes an exclusive lock, and
    /// SQLite reports `SQLITE_BUSY` at once, without the busy handler, when another connection
    /// is reading or switching at the same moment, as happens when several processes open a new
    /// file together. So a busy switch is retried, backing off from 1 ms to 50 ms, until about
    /// `patience` milliseconds of waiting have passed (counted, not read from a clock).
    private func switchToWAL(patience: Int64) throws {
        let sql = "PRAGMA journal_mode=WAL"
        var waited: Int64 = 0
        var backoff: Int64 = 1
        while true {
            var statement: OpaquePointer?
            var code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
            var mode = ""
            if code == SQLITE_OK {
                code = sqlite3_step(statement)
                if code == SQLITE_ROW, let text = sqlite3_column_text(statement, 0) {
                    mode = String(cString: text)
                    code = SQLITE_OK
                }
            }
            let failure = code == SQLITE_OK ? nil : error(code: code, sql: sql)
            sqlite3_finalize(statement)
            if let failure {
                let busy = code & 0xff == SQLITE_BUSY || code & 0xff == SQLITE_LOCKED
                guard busy, waited < patience else { throw failure }
                usleep(useconds_t(backoff * 1000))
                waited += backoff
                backoff = min(backoff * 2, 50)
                continue
            }
            guard mode.lowercased() == "wal" else {
                throw SQLiteError(code: SQLITE_ERROR, message: "could not switch to WAL: the journal mode stayed \(mode)",
                                  path: path, sql: sql)
            }
            return
        }
    }

    /// Creates or upgrades the schema in one conditional step, safe against other processes
    /// doing the same at the same moment: if `PRAGMA user_version` is below `version`, then
    /// inside `BEGIN IMMEDIATE` (which waits for any other writer) it is read again, and only if
    /// it is still below does `create` run — given the version found (0 for a new file) — after
    /// which `user_version` is set to `version`, all in the same transaction. So every opener
    /// sees either no schema or the whole of it, and it is created once.
    func prepareSchema(version: Int32, _ create: (_ found: Int32) throws -> Void) throws {
        if try userVersion() >= version { return }
        try immediateTransaction {
            let found = try userVersion()
            guard found < version else { return }
            try create(found)
            try execute("PRAGMA user_version=\(version)")
        }
    }

    /// The schema version `prepareSchema` recorded (`PRAGMA user_version`; 0 for a new file).
    func userVersion() throws -> Int32 {
        Int32(truncatingIfNeeded: try statement("PRAGMA user_version").firstRow { $0.int64(0) } ?? 0)
    }

    /// Whether the database holds a table named `name` (for read-only openers, which must not
    /// query a schema another process has not finished creating).
    func hasTable(_ name: String) throws -> Bool {
        try statement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").firstRow([.text(name)]) { _ in true }
            ?? false
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

    /// From now on, tells `checkpointer` the WAL's length after every commit instead of
    /// checkpointing automatically; the connection keeps `checkpointer` alive as long as it is
    /// open.
    func reportWALLength(to checkpointer: WALCheckpointer) {
        walObserver = checkpointer
        sqlite3_wal_hook(handle, { context, _, _, frames in
            if let context { Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue().walLength(Int(frames)) }
            return SQLITE_OK
        }, Unmanaged.passUnretained(checkpointer).toOpaque())
    }

    /// Copies every WAL frame that no reader still needs into the database, without waiting
    /// for readers or writers (`SQLITE_CHECKPOINT_PASSIVE`).
    func checkpointPassively() throws {
        let code = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        guard code == SQLITE_OK else { throw error(code: code, sql: "PRAGMA wal_checkpoint(PASSIVE)") }
    }

    /// The rowid of the row the last successful INSERT added.
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// The number of rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    func error(code: Int32, sql: String?) -> SQLiteError {
        SQLiteError(code: code, message: String(cString: sqlite3_errmsg(handle)), path: path, sql: sql)
    }
}

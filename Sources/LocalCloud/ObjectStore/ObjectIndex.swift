import Foundation

/// One current object as the index knows it: its metadata and the identity of its file.
struct IndexedObject {
    var metadata: ObjectMetadata
    var identity: FileIdentity
}

/// The SQLite index beside the bucket folders (`objects.sqlite`): one row per current object,
/// one per kept noncurrent generation, the store-wide generation counter, and the outbox of
/// notifications written with the change they announce.
///
/// Not thread-safe; `DirectoryObjectStore` calls it under its lock.
final class ObjectIndex {
    let database: SQLiteDatabase

    private static let schema = """
        CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT OR IGNORE INTO counters VALUES ('generation', 0);
        CREATE TABLE IF NOT EXISTS objects (
            bucket TEXT NOT NULL, key TEXT NOT NULL, generation INTEGER NOT NULL, size INTEGER NOT NULL,
            etag TEXT NOT NULL, content_type TEXT NOT NULL, user_metadata TEXT NOT NULL,
            created_ns INTEGER NOT NULL, updated_ns INTEGER NOT NULL,
            file_inode INTEGER NOT NULL, file_size INTEGER NOT NULL, file_mtime_ns INTEGER NOT NULL,
            PRIMARY KEY (bucket, key)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS noncurrent (
            bucket TEXT NOT NULL, key TEXT NOT NULL, generation INTEGER NOT NULL, size INTEGER NOT NULL,
            etag TEXT NOT NULL, content_type TEXT NOT NULL, user_metadata TEXT NOT NULL,
            created_ns INTEGER NOT NULL, updated_ns INTEGER NOT NULL,
            PRIMARY KEY (bucket, key, generation)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, data BLOB NOT NULL,
            attributes TEXT NOT NULL, dedup_id TEXT NOT NULL);
        """

    private static let columns = "bucket, key, generation, size, etag, content_type, user_metadata, created_ns, updated_ns"

    /// The schema version recorded in `PRAGMA user_version` (files made before it existed read 0
    /// and are brought up to it by the same `CREATE … IF NOT EXISTS` step).
    static let schemaVersion: Int32 = 1

    /// Opens (creating if needed) the index; with `readOnly` the file must exist and is not changed.
    /// - Throws: `ObjectStoreError.storeNotInitialised` when opened read-only while the file has
    ///   no schema yet (another process is creating the store).
    init(path: String, durable: Bool, readOnly: Bool = false) throws {
        database = try SQLiteDatabase(path: path, readOnly: readOnly, synchronous: durable ? .full : .normal, pageSize: 1024)
        if readOnly {
            guard try database.hasTable("objects") else { throw ObjectStoreError.storeNotInitialised(path: path) }
            return
        }
        try database.prepareSchema(version: Self.schemaVersion) { _ in try database.execute(Self.schema) }
    }

    /// The next generation number; call inside a write transaction.
    func nextGeneration() throws -> Int64 {
        // Not `UPDATE … RETURNING`: SQLite runs RETURNING with a statement journal, whose 64 KiB
        // buffer made every put grow and trim the heap.
        try database.statement("UPDATE counters SET value = value + 1 WHERE name = 'generation'").run()
        return try database.statement("SELECT value FROM counters WHERE name = 'generation'").firstRow { $0.int64(0) } ?? 1
    }

    func current(bucket: String, key: String) throws -> IndexedObject? {
        try database.statement("SELECT \(Self.columns), file_inode, file_size, file_mtime_ns FROM objects WHERE bucket = ? AND key = ?")
            .firstRow([.text(bucket), .text(key)], Self.readCurrent)
    }

    /// Current objects of `bucket` with keys at or after `from`, in key order, while `body` returns true.
    func forEachCurrent(bucket: String, from: String, _ body: (IndexedObject) throws -> Bool) throws {
        let statement = try database.statement(
            "SELECT \(Self.columns), file_inode, file_size, file_mtime_ns FROM objects WHERE bucket = ? AND key >= ? ORDER BY key")
        try statement.bind([.text(bucket), .text(from)])
        defer { statement.reset() }
        while try statement.step() {
            if try !body(Self.readCurrent(statement)) { break }
        }
    }

    /// `forEachCurrent` reading only each row's key and file identity: what a folder check
    /// compares with the files.
    func forEachCurrentFile(bucket: String, from: String, _ body: (String, FileIdentity) throws -> Bool) throws {
        let statement = try database.statement(
            "SELECT key, file_inode, file_size, file_mtime_ns FROM objects WHERE bucket = ? AND key >= ? ORDER BY key")
        try statement.bind([.text(bucket), .text(from)])
        defer { statement.reset() }
        while try statement.step() {
            let identity = FileIdentity(inode: UInt64(bitPattern: statement.int64(1)), size: statement.int64(2),
                                        modifiedNanoseconds: statement.int64(3))
            if try !body(statement.string(0), identity) { break }
        }
    }

    func upsertCurrent(_ object: IndexedObject) throws {
        let m = object.metadata
        try database.statement("""
            INSERT OR REPLACE INTO objects (\(Self.columns), file_inode, file_size, file_mtime_ns)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).run(Self.values(m) + [
                .integer(Int64(bitPattern: object.identity.inode)), .integer(object.identity.size),
                .integer(object.identity.modifiedNanoseconds),
            ])
    }

    func deleteCurrent(bucket: String, key: String) throws {
        try database.statement("DELETE FROM objects WHERE bucket = ? AND key = ?").run([.text(bucket), .text(key)])
    }

    /// Buckets with any row, current or noncurrent.
    func bucketsWithRows() throws -> [String] {
        try database.statement("SELECT bucket FROM objects UNION SELECT bucket FROM noncurrent").rows { $0.string(0) }
    }

    /// Forgets every current and noncurrent object of `bucket`.
    func deleteAll(bucket: String) throws {
        try database.statement("DELETE FROM objects WHERE bucket = ?").run([.text(bucket)])
        try database.statement("DELETE FROM noncurrent WHERE bucket = ?").run([.text(bucket)])
    }

    func insertNoncurrent(_ metadata: ObjectMetadata) throws {
        try database.statement("INSERT OR REPLACE INTO noncurrent (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .run(Self.values(metadata))
    }

    func noncurrent(bucket: String, key: String, generation: Int64) throws -> ObjectMetadata? {
        try database.statement("SELECT \(Self.columns) FROM noncurrent WHERE bucket = ? AND key = ? AND generation = ?")
            .firstRow([.text(bucket), .text(key), .integer(generation)]) { Self.readMetadata($0, isCurrent: false) }
    }

    /// Kept noncurrent generations of a key, newest first.
    func noncurrent(bucket: String, key: String) throws -> [ObjectMetadata] {
        try database.statement("SELECT \(Self.columns) FROM noncurrent WHERE bucket = ? AND key = ? ORDER BY generation DESC")
            .rows([.text(bucket), .text(key)]) { Self.readMetadata($0, isCurrent: false) }
    }

    func deleteNoncurrent(bucket: String, key: String, generation: Int64) throws {
        try database.statement("DELETE FROM noncurrent WHERE bucket = ? AND key = ? AND generation = ?")
            .run([.text(bucket), .text(key), .integer(generation)])
    }

    /// Forgets a noncurrent generation (generation numbers are unique across the store).
    func deleteNoncurrent(bucket: String, generation: Int64) throws {
        try database.statement("DELETE FROM noncurrent WHERE bucket = ? AND generation = ?")
            .run([.text(bucket), .integer(generation)])
    }

    /// Every kept noncurrent generation number of a bucket.
    func noncurrentGenerations(bucket: String) throws -> Set<Int64> {
        Set(try database.statement("SELECT generation FROM noncurrent WHERE bucket = ?").rows([.text(bucket)]) { $0.int64(0) })
    }

    // MARK: Notification outbox

    /// Adds a notification to publish once the current write transaction commits; returns its row id.
    func enqueueNotification(topic: String, message: OutgoingMessage) throws -> Int64 {
        try database.statement("INSERT INTO outbox (topic, data, attributes, dedup_id) VALUES (?, ?, ?, ?)")
            .run([.text(topic), .blob(message.data), .text(Self.encodeUserMetadata(message.attributes)),
                  .text(message.deduplicationID ?? "")])
        return database.lastInsertedRowID
    }

    /// Notifications not yet published, oldest first.
    func pendingNotifications() throws -> [PendingNotification] {
        try database.statement("SELECT id, topic, data, attributes, dedup_id FROM outbox ORDER BY id").rows {
            PendingNotification(id: $0.int64(0), topic: $0.string(1), message: OutgoingMessage(
                data: $0.data(2), attributes: Self.decodeUserMetadata($0.string(3)), deduplicationID: $0.string(4)))
        }
    }

    func deleteNotification(id: Int64) throws {
        try database.statement("DELETE FROM outbox WHERE id = ?").run([.integer(id)])
    }

    private static func values(_ m: ObjectMetadata) -> [SQLiteValue] {
        [.text(m.bucket), .text(m.key), .integer(m.generation), .integer(m.size), .text(m.etag), .text(m.contentType),
         .text(encodeUserMetadata(m.userMetadata)), .integer(m.created.nanosecondsSinceEpoch),
         .integer(m.updated.nanosecondsSinceEpoch)]
    }

    private static func readMetadata(_ row: SQLiteStatement, isCurrent: Bool) -> ObjectMetadata {
        ObjectMetadata(
            bucket: row.string(0), key: row.string(1), generation: row.int64(2), size: row.int64(3),
            etag: row.string(4), contentType: row.string(5), userMetadata: decodeUserMetadata(row.string(6)),
            created: Instant(nanosecondsSinceEpoch: row.int64(7)), updated: Instant(nanosecondsSinceEpoch: row.int64(8)),
            isCurrent: isCurrent)
    }

    private static func readCurrent(_ row: SQLiteStatement) -> IndexedObject {
        IndexedObject(
            metadata: readMetadata(row, isCurrent: true),
            identity: FileIdentity(inode: UInt64(bitPattern: row.int64(9)), size: row.int64(10),
                                   modifiedNanoseconds: row.int64(11)))
    }

    private static func encodeUserMetadata(_ metadata: [String: String]) -> String {
        if metadata.isEmpty { return "{}" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(metadata)) ?? Data("{}".utf8), as: UTF8.self)
    }

    private static func decodeUserMetadata(_ text: String) -> [String: String] {
        if text == "{}" { return [:] }
        return (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }
}

/// A notification in the outbox: what to publish, and to which topic.
struct PendingNotification {
    let id: Int64
    let topic: String
    let message: OutgoingMessage
}

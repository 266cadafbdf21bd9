import Foundation

/// A keyed table store, the emulated analytics sink (as BigQuery or Bigtable would be in a cloud)
/// that a streaming pipeline writes its results to.
///
/// Writes are **idempotent**: a row is keyed by `(table, key)`, and writing a key that is stored
/// already keeps the stored row. So a worker that dies after writing but before acking, and
/// whose messages are delivered again, leaves the table exactly as one delivery would: an
/// exactly-once effect over at-least-once delivery. Checkpoints (a consumer's saved state) are
/// written in the same transaction as the rows they account for.
///
/// Every operation is synchronous and throws `SQLiteError` for a storage failure.
/// Implementations are safe to use from several threads and, for the SQLite driver, several
/// processes.
public protocol TableSink: AnyObject, Sendable {
    /// Writes `rows` and, if given, `checkpoint`, in one transaction. A row whose key is stored
    /// already is not written again; the result counts both kinds, and names the keys whose
    /// stored bytes differ from the bytes offered (the first write wins).
    @discardableResult
    func write(_ rows: [SinkRow], checkpoint: SinkCheckpoint?) throws -> SinkWriteResult

    /// The stored value of `key` in `table`, nil if there is none.
    func value(table: String, key: String) throws -> Data?

    /// The stored values of `keys` in `table` (keys not stored are missing from the result).
    func values(table: String, keys: [String]) throws -> [String: Data]

    /// Up to `limit` rows of `table` in key order (bytewise), starting after `key`.
    func rows(table: String, after key: String?, limit: Int) throws -> [SinkRow]

    /// The number of rows in `table`.
    func count(table: String) throws -> Int

    /// The checkpoint saved under `name`, nil if none was.
    func checkpoint(_ name: String) throws -> Data?
}

extension TableSink {
    /// Writes `rows` in one transaction, without a checkpoint.
    @discardableResult
    public func write(_ rows: [SinkRow]) throws -> SinkWriteResult { try write(rows, checkpoint: nil) }

    /// Every row of `table` in key order.
    public func allRows(table: String) throws -> [SinkRow] {
        var result: [SinkRow] = []
        while true {
            let page = try rows(table: table, after: result.last?.key, limit: 1000)
            result += page
            if page.count < 1000 { return result }
        }
    }
}

/// One row of a sink table.
public struct SinkRow: Hashable, Sendable {
    /// The table it belongs to.
    public var table: String
    /// Its key, unique in the table.
    public var key: String
    /// Its bytes (the pipelines store canonical JSON).
    public var value: Data

    /// A row of `table` under `key`.
    public init(table: String, key: String, value: Data) {
        self.table = table
        self.key = key
        self.value = value
    }
}

/// A consumer's saved state, replaced whole by each write.
public struct SinkCheckpoint: Hashable, Sendable {
    /// Whose state it is.
    public var name: String
    /// The state's bytes.
    public var value: Data

    /// The state `value` saved under `name`.
    public init(name: String, value: Data) {
        self.name = name
        self.value = value
    }
}

/// What a `TableSink.write` did.
public struct SinkWriteResult: Hashable, Sendable {
    /// Rows stored by this write.
    public var inserted: Int
    /// Rows whose key was stored already (and were left as they were).
    public var alreadyStored: Int
    /// Of those, the keys (as `table/key`) whose stored bytes differ from the ones offered.
    public var conflicting: [String]

    /// A result with these counts.
    public init(inserted: Int = 0, alreadyStored: Int = 0, conflicting: [String] = []) {
        self.inserted = inserted
        self.alreadyStored = alreadyStored
        self.conflicting = conflicting
    }
}

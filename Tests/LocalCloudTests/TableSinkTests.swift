import Foundation
import LocalCloud
import Testing

/// The table sink: idempotent keyed writes, checkpoints in the same transaction, several writers.
@Suite struct TableSinkTests {
    private func row(_ key: String, _ value: String, table: String = "predictions") -> SinkRow {
        SinkRow(table: table, key: key, value: Data(value.utf8))
    }

    @Test("a key written again keeps its first value, and the write says so")
    func idempotentWrites() throws {
        let folder = try TemporaryFolder()
        let sink = try SQLiteTableSink(path: folder.path + "/sink.sqlite")
        let first = try sink.write([row("1", "a"), row("2", "b")])
        #expect(first == SinkWriteResult(inserted: 2, alreadyStored: 0, conflicting: []))
        let again = try sink.write([row("2", "b"), row("3", "c"), row("1", "changed")])
        #expect(again == SinkWriteResult(inserted: 1, alreadyStored: 2, conflicting: ["predictions/1"]))
        #expect(try sink.value(table: "predictions", key: "1") == Data("a".utf8))
        #expect(try sink.count(table: "predictions") == 3)
    }

    @Test("tables are separate, rows list in key order and page after a key")
    func listing() throws {
        let folder = try TemporaryFolder()
        let sink = try SQLiteTableSink(path: folder.path + "/sink.sqlite")
        try sink.write([row("b", "2"), row("a", "1"), row("c", "3"), row("a", "other table", table: "panes")])
        #expect(try sink.rows(table: "predictions", after: nil, limit: 2).map(\.key) == ["a", "b"])
        #expect(try sink.rows(table: "predictions", after: "b", limit: 2).map(\.key) == ["c"])
        #expect(try sink.allRows(table: "panes").map(\.value) == [Data("other table".utf8)])
        #expect(try sink.values(table: "predictions", keys: ["c", "zz", "a"]) == ["c": Data("3".utf8), "a": Data("1".utf8)])
        #expect(try sink.value(table: "panes", key: "b") == nil)
    }

    @Test("a checkpoint is replaced whole, with the rows of the same write, and survives reopening")
    func checkpoints() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/sink.sqlite"
        do {
            let sink = try SQLiteTableSink(path: path)
            #expect(try sink.checkpoint("windows") == nil)
            try sink.write([row("1", "a")], checkpoint: SinkCheckpoint(name: "windows", value: Data("state 1".utf8)))
            try sink.write([], checkpoint: SinkCheckpoint(name: "windows", value: Data("state 2".utf8)))
        }
        let reopened = try SQLiteTableSink(path: path)
        #expect(try reopened.checkpoint("windows") == Data("state 2".utf8))
        #expect(try reopened.count(table: "predictions") == 1)
    }

    @Test("writers on separate connections racing over the same keys store each key once")
    func racingWriters() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/sink.sqlite"
        let writers = 4
        let keys = 400
        let results = try (0..<writers).map { _ in try SQLiteTableSink(path: path) }
        let outcomes = SinkOutcomes()
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            // Each writer goes over every key, in batches of 20, starting at a different place.
            for batch in 0..<(keys / 20) {
                let start = ((batch + writer * 5) % (keys / 20)) * 20
                let rows = (start..<(start + 20)).map { row(String(format: "%04d", $0), "v\($0)") }
                do { outcomes.add(try results[writer].write(rows)) } catch { outcomes.fail(error) }
            }
        }
        let total = outcomes.total
        #expect(outcomes.failures.isEmpty)
        #expect(total.inserted == keys)
        #expect(total.alreadyStored == keys * (writers - 1))
        #expect(total.conflicting.isEmpty)
        let stored = try results[0].allRows(table: "predictions")
        #expect(stored.map(\.key) == (0..<keys).map { String(format: "%04d", $0) })
    }
}

/// Write results gathered from several threads.
private final class SinkOutcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [SinkWriteResult] = []
    private(set) var failures: [String] = []

    func add(_ result: SinkWriteResult) { lock.withLock { results.append(result) } }
    func fail(_ error: any Error) { lock.withLock { failures.append("\(error)") } }

    var total: SinkWriteResult {
        lock.withLock {
            results.reduce(into: SinkWriteResult()) {
                $0.inserted += $1.inserted
                $0.alreadyStored += $1.alreadyStored
                $0.conflicting += $1.conflicting
            }
        }
    }
}

import CSQLite
import Foundation
import LocalCloud
import Testing

/// Several real processes open one brand-new root at the same instant, round after round: every
/// one must succeed, the schema of every database must be whole, and readers looking in while
/// the root is being made must get either the contents or a plain "not initialised yet".
@Suite(.serialized) struct FreshRootRaceTests {
    @Test(.timeLimit(.minutes(5)))
    func processesOpeningOneFreshRootTogetherAllSucceed() throws {
        let folder = try TemporaryFolder()
        let rounds = 30
        let openers = try (0..<6).map { _ in try ChildProcess(["open-rounds", folder.path, String(rounds), "open"]) }
        let inspectors = try (0..<2).map { _ in try ChildProcess(["open-rounds", folder.path, String(rounds), "inspect"]) }
        // Inspectors are released between the openers, so they look in while the root is made.
        let children = Array(openers[..<3]) + inspectors + Array(openers[3...])
        for child in children { #expect(child.readLine() == "ready") }
        var notReady: [String: Int] = [:]
        for round in 0..<rounds {
            // The barrier: every child is blocked reading its standard input until this line.
            for child in children { child.send("go \(round)") }
            let results = children.map { $0.readLine() ?? "eof" }
            for (child, line) in zip(children, results) {
                if inspectors.contains(where: { $0 === child }) {
                    // Looking in while the root is made gives "not ready yet" answers (counted
                    // below), never another error; in the end every database reads.
                    #expect(line.hasPrefix("\(round) ok "), "round \(round), inspector \(child.pid): \(line)")
                    for answer in line.split(separator: " ").last?.split(separator: ",") ?? [] where answer != "-" {
                        notReady[String(answer), default: 0] += 1
                    }
                } else {
                    #expect(line == "\(round) ok", "round \(round), opener \(child.pid): \(line)")
                }
            }

            let root = folder.path + "/round-\(round)"
            let objects = try SchemaReading(path: root + "/objects.sqlite")
            #expect(objects.tables == ["counters", "noncurrent", "objects", "outbox", "sqlite_sequence"])
            #expect(objects.journalMode == "wal")
            #expect(objects.userVersion == 1)
            // One put per opener: the generation counter counted each once.
            #expect(objects.integer("SELECT value FROM counters WHERE name = 'generation'") == Int64(openers.count))
            let queue = try SchemaReading(path: root + "/queue.sqlite")
            #expect(queue.tables == ["dedup", "deliveries", "leases", "messages", "sqlite_sequence", "subscriptions", "topics"])
            #expect(queue.journalMode == "wal")
            #expect(queue.userVersion == 5)
            let schedules = try SchemaReading(path: root + "/schedules.sqlite")
            #expect(schedules.tables == ["schedules"])
            #expect(schedules.journalMode == "wal")
            #expect(schedules.userVersion == 1)

            let store = try DirectoryObjectStore(inspecting: URL(fileURLWithPath: root))
            #expect(try store.list(bucket: "shared").objects.map(\.key).sorted() == openers.map { "from-\($0.pid)" }.sorted())
        }
        for child in children { #expect(child.wait() == 0) }
        // Not asserted (it depends on timing), but shown: which "not ready" answers readers got.
        print("not-ready answers while roots were created: \(notReady.sorted { $0.key < $1.key })")
    }
}

/// Reads the schema facts of a SQLite file through its own read-only connection.
struct SchemaReading {
    let tables: [String]
    let journalMode: String
    let userVersion: Int64
    private let path: String

    init(path: String) throws {
        self.path = path
        tables = try Self.query(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        journalMode = try Self.query(path, "PRAGMA journal_mode").first ?? ""
        userVersion = Int64(try Self.query(path, "PRAGMA user_version").first ?? "") ?? -1
    }

    func integer(_ sql: String) -> Int64? { (try? Self.query(path, sql))?.first.flatMap { Int64($0) } }

    private static func query(_ path: String, _ sql: String) throws -> [String] {
        var connection: OpaquePointer?
        defer { sqlite3_close(connection) }
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else {
            throw SQLiteReadFailure(path: path, sql: sql)
        }
        var statement: OpaquePointer?
        defer { sqlite3_finalize(statement) }
        guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK else {
            throw SQLiteReadFailure(path: path, sql: sql)
        }
        var rows: [String] = []
        while sqlite3_step(statement) == SQLITE_ROW {
            rows.append(sqlite3_column_text(statement, 0).map { String(cString: $0) } ?? "")
        }
        return rows
    }
}

private struct SQLiteReadFailure: Error, CustomStringConvertible {
    let path: String
    let sql: String
    var description: String { "cannot run \(sql) on \(path)" }
}

import Crypto
import Determinism
import ModelCore
import Testing

@Suite("Tabular schemas, tables and their training-data summary")
struct TabularTableTests {
    @Test("a schema refuses empty, repeated or too many columns, naming the problem")
    func schemaValidation() throws {
        let cases: [(numeric: [String], categorical: [String], buckets: Int, problem: String)] = [
            ([], [], 32, "at least one column"),
            (["a", ""], [], 32, "must not be empty"),
            (["a", "b"], ["a"], 32, "\"a\" appears more than once"),
            (["a"], ["c"], 0, "categorical_buckets must be from 1 to 1024, got 0"),
            (["a"], ["c"], Int.max, "categorical_buckets must be from 1 to 1024"),
            (["a"], (0..<33).map { "c\($0)" }, 32, "need more than 1024 weights"),
        ]
        for (numeric, categorical, buckets, problem) in cases {
            #expect {
                try TabularSchema(numeric: numeric, categorical: categorical, categoricalBuckets: buckets)
            } throws: { error in
                guard case TabularDataError.invalidSchema(let reason) = error else { return false }
                return reason.contains(problem) && "\(error)".hasPrefix("invalid table schema: ")
            }
        }
        let schema = try TabularSchema(numeric: ["a"], categorical: (0..<32).map { "c\($0)" }, categoricalBuckets: 31)
        #expect(schema.weightCount == 1 + 32 * 31)
        #expect(try TabularSchema(numeric: [], categorical: ["c"]).categoricalBuckets == 32)
    }

    @Test("categorical values hash to FNV-1a buckets, the same everywhere")
    func buckets() throws {
        let schema = try TabularSchema(numeric: ["x"], categorical: ["colour"])
        // FNV-1a 64 of the UTF-8 bytes, mod 32: pinned, so a change of hash shows here.
        #expect(schema.bucket(ofCategory: "red") == 28)
        #expect(schema.bucket(ofCategory: "green") == 28)
        #expect(schema.bucket(ofCategory: "blue") == 13)
        #expect(schema.bucket(ofCategory: "") == Int(FNV1a.offsetBasis % 32))
        var table = TabularTable(schema: schema)
        try table.append(numeric: [1.5], categorical: ["blue"])
        try table.append(rows: 2, numeric: [2.5, 3.5], categorical: ["red", "blue"])
        #expect(table.rowCount == 3)
        #expect(table.numeric == [1.5, 2.5, 3.5])
        #expect((0..<3).map { table.bucket(row: $0, column: 0) } == [13, 28, 13])
        #expect(table.numericValue(row: 2, column: 0) == 3.5)
    }

    @Test("non-finite numbers are refused, naming the column and row, and leave the table as it was")
    func nonFinite() throws {
        let schema = try TabularSchema(numeric: ["age", "income"], categorical: ["colour"])
        var table = TabularTable(schema: schema)
        try table.append(numeric: [30, 1_000], categorical: ["red"])
        #expect(throws: TabularDataError.nonFiniteValue(column: "income", row: 1, value: .infinity)) {
            try table.append(numeric: [31, .infinity], categorical: ["red"])
        }
        #expect {
            try table.append(rows: 3, numeric: [1, 2, 3, 4, .nan, 6], categorical: ["a", "b", "c"])
        } throws: { error in
            guard case TabularDataError.nonFiniteValue(let column, let row, let value) = error else { return false }
            return column == "age" && row == 3 && value.isNaN && "\(error)".contains("column \"age\"")
        }
        #expect(table.rowCount == 1 && table.numeric == [30, 1_000] && table.buckets.count == 1)
    }

    @Test("appending a table appends its rows")
    func appendTable() throws {
        let first = try TabularSample(rows: 10, seed: 1, colours: true)
        let second = try TabularSample(rows: 7, seed: 2, colours: true)
        var joined = first.table
        joined.append(contentsOf: second.table)
        #expect(joined.rowCount == 17)
        #expect(joined.numeric == first.table.numeric + second.table.numeric)
        #expect(joined.buckets == first.table.buckets + second.table.buckets)
    }

    /// The documented hash, written out the plain way.
    static func documentedHash(_ table: TabularTable, _ labels: [Bool]) -> String {
        var bytes: [UInt8] = []
        func integer(_ value: UInt64) { bytes += (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }
        for names in [table.schema.numeric, table.schema.categorical] {
            integer(UInt64(names.count))
            for name in names {
                integer(UInt64(name.utf8.count))
                bytes += name.utf8
            }
        }
        integer(UInt64(table.schema.categoricalBuckets))
        for row in 0..<table.rowCount {
            for column in table.schema.numeric.indices { integer(table.numericValue(row: row, column: column).bitPattern) }
            for column in table.schema.categorical.indices {
                bytes += (0..<4).map { UInt8(truncatingIfNeeded: UInt32(table.bucket(row: row, column: column)) >> (24 - 8 * $0)) }
            }
            bytes.append(labels[row] ? 1 : 0)
        }
        return Hex.string(SHA256.hash(data: bytes))
    }

    @Test("the training-data summary hashes exactly what it documents, so any change shows")
    func summary() throws {
        let sample = try TabularSample(rows: 5_000, seed: 4, colours: true)
        let summary = TrainingDataSummary(table: sample.table, labels: sample.labels, source: "seed 4")
        #expect(summary.sha256 == Self.documentedHash(sample.table, sample.labels))
        #expect(summary.rows == 5_000 && summary.source == "seed 4")
        #expect(summary == TrainingDataSummary(sha256: summary.sha256, rows: 5_000, source: "seed 4"))

        var flipped = sample.labels
        flipped[4_321].toggle()
        #expect(TrainingDataSummary(table: sample.table, labels: flipped, source: "").sha256 != summary.sha256)
        var nudged = TabularTable(schema: sample.table.schema)
        var numeric = sample.table.numeric
        numeric[7] = numeric[7].nextUp
        try nudged.append(rows: 5_000, numeric: numeric, categorical: Array(repeating: "red", count: 5_000))
        #expect(TrainingDataSummary(table: nudged, labels: sample.labels, source: "").sha256 != summary.sha256)
        let renamed = try TabularSchema(numeric: ["age", "income", "visit"], categorical: ["colour"])
        var other = TabularTable(schema: renamed)
        try other.append(rows: 5_000, numeric: sample.table.numeric, categorical: Array(repeating: "red", count: 5_000))
        var same = TabularTable(schema: sample.table.schema)
        try same.append(rows: 5_000, numeric: sample.table.numeric, categorical: Array(repeating: "red", count: 5_000))
        #expect(TrainingDataSummary(table: other, labels: sample.labels, source: "").sha256
                != TrainingDataSummary(table: same, labels: sample.labels, source: "").sha256)
    }

    @Test("the summary's hasher fed a growing table piece by piece gives each prefix's documented hash")
    func incrementalSummary() throws {
        let pieces = try [(1_234, 9), (1, 10), (3_765, 11)].map { try TabularSample(rows: $0.0, seed: UInt64($0.1), colours: true) }
        var hasher = TrainingDataSummary.TableHasher(schema: pieces[0].table.schema)
        var growing = TabularTable(schema: pieces[0].table.schema)
        var labels: [Bool] = []
        for piece in pieces {
            let first = growing.rowCount
            growing.append(contentsOf: piece.table)
            labels += piece.labels
            hasher.add(growing, labels: labels, from: first)
            let summary = hasher.summary(source: "prefix")
            #expect(summary.sha256 == Self.documentedHash(growing, labels) && summary.rows == growing.rowCount)
        }
        #expect(hasher.summary(source: "").sha256 == TrainingDataSummary(table: growing, labels: labels, source: "").sha256)
    }
}

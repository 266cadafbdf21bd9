import Crypto
import Determinism

extension TrainingDataSummary {
    /// The summary of a table and its labels (one per row): see `TableHasher` for what is hashed.
    public init(table: TabularTable, labels: [Bool], source: String) {
        var hasher = TableHasher(schema: table.schema)
        hasher.add(table, labels: labels)
        self = hasher.summary(source: source)
    }

    /// The SHA-256 of a table's summary, fed rows as the table grows, so a training set that
    /// only ever gains rows (each week's, say) is hashed once per row, not once per training.
    ///
    /// The hash is over, in order (every integer 8 bytes big-endian unless said otherwise):
    /// 1. the schema: the number of numeric columns, each numeric column's name as its UTF-8
    ///    length and bytes, the same for the categorical columns, then the bucket count;
    /// 2. every row in order: each numeric value's IEEE-754 bit pattern, each categorical bucket
    ///    (4 bytes big-endian), then the label (one byte: 1 for `true`, 0 for `false`).
    ///
    /// So tables that differ in any value's bits, any bucket, any label, their row order or their
    /// columns hash differently.
    ///
    /// Sendable: its only state besides values is swift-crypto's `SHA256`, a copy-on-write value
    /// that does not declare the conformance; a hasher handed to another thread is its own copy.
    public struct TableHasher: @unchecked Sendable {
        private var hasher = SHA256()
        private let schema: TabularSchema
        /// How many rows were added.
        public private(set) var rows = 0

        /// A hasher for tables of `schema`, with no rows yet.
        public init(schema: TabularSchema) {
            self.schema = schema
            var buffer: [UInt8] = []
            func feed<Integer: FixedWidthInteger>(_ value: Integer) {
                withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
            }
            func feed(names: [String]) {
                feed(UInt64(names.count))
                for name in names {
                    let bytes = Array(name.utf8)
                    feed(UInt64(bytes.count))
                    buffer.append(contentsOf: bytes)
                }
            }
            feed(names: schema.numeric)
            feed(names: schema.categorical)
            feed(UInt64(schema.categoricalBuckets))
            hasher.update(data: buffer)
        }

        /// Adds the rows of `table` from `first` on, with their labels (`labels` holds one per
        /// row of `table`).
        public mutating func add(_ table: TabularTable, labels: [Bool], from first: Int = 0) {
            precondition(table.schema == schema, "rows of another schema")
            precondition(labels.count == table.rowCount && first >= 0 && first <= table.rowCount, "one label per row")
            // Through a fixed block written in place (appending 8 bytes at a time to an array
            // cost more than the hashing).
            let numericColumns = schema.numeric.count
            let categoricalColumns = schema.categorical.count
            let rowBytes = 8 * numericColumns + 4 * categoricalColumns + 1
            let rowsPerBlock = Swift.max(1, (1 << 16) / rowBytes)
            var block = [UInt8](repeating: 0, count: rowsPerBlock * rowBytes)
            table.numeric.withUnsafeBufferPointer { numeric in
                table.buckets.withUnsafeBufferPointer { buckets in
                    block.withUnsafeMutableBytes { bytes in
                        var row = first
                        while row < table.rowCount {
                            let rows = Swift.min(rowsPerBlock, table.rowCount - row)
                            var offset = 0
                            for current in row..<(row + rows) {
                                for column in 0..<numericColumns {
                                    bytes.storeBytes(of: numeric[current * numericColumns + column].bitPattern.bigEndian, toByteOffset: offset, as: UInt64.self)
                                    offset += 8
                                }
                                for column in 0..<categoricalColumns {
                                    bytes.storeBytes(of: UInt32(buckets[current * categoricalColumns + column]).bigEndian, toByteOffset: offset, as: UInt32.self)
                                    offset += 4
                                }
                                bytes[offset] = labels[current] ? 1 : 0
                                offset += 1
                            }
                            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[..<offset]))
                            row += rows
                        }
                    }
                }
            }
            rows += table.rowCount - first
        }

        /// The summary of the rows added so far; the hasher can go on taking rows.
        public func summary(source: String) -> TrainingDataSummary {
            TrainingDataSummary(sha256: Hex.string(hasher.finalize()), rows: rows, source: source)
        }
    }
}

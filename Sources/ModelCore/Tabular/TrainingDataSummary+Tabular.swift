import Crypto
import Determinism

extension TrainingDataSummary {
    /// The summary of a table and its labels (one per row). `sha256` is the SHA-256 over, in
    /// order (every integer 8 bytes big-endian unless said otherwise):
    /// 1. the schema: the number of numeric columns, each numeric column's name as its UTF-8
    ///    length and bytes, the same for the categorical columns, then the bucket count;
    /// 2. every row in order: each numeric value's IEEE-754 bit pattern, each categorical bucket
    ///    (4 bytes big-endian), then the label (one byte: 1 for `true`, 0 for `false`).
    ///
    /// So tables that differ in any value's bits, any bucket, any label, their row order or their
    /// columns hash differently.
    public init(table: TabularTable, labels: [Bool], source: String) {
        precondition(labels.count == table.rowCount, "one label per row")
        var hasher = SHA256()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
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
        feed(names: table.schema.numeric)
        feed(names: table.schema.categorical)
        feed(UInt64(table.schema.categoricalBuckets))
        hasher.update(data: buffer)
        // The rows, through a fixed block written in place (appending 8 bytes at a time to an
        // array cost more than the hashing).
        let numericColumns = table.schema.numeric.count
        let categoricalColumns = table.schema.categorical.count
        let rowBytes = 8 * numericColumns + 4 * categoricalColumns + 1
        let rowsPerBlock = Swift.max(1, (1 << 16) / rowBytes)
        var block = [UInt8](repeating: 0, count: rowsPerBlock * rowBytes)
        table.numeric.withUnsafeBufferPointer { numeric in
            table.buckets.withUnsafeBufferPointer { buckets in
                block.withUnsafeMutableBytes { bytes in
                    var row = 0
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
        self.init(sha256: Hex.string(hasher.finalize()), rows: table.rowCount, source: source)
    }
}

import Determinism

/// The rows a `TabularTrainer` learns from, and their labels, in the form its passes read:
/// numeric columns one by one (`NumericColumn`: 16-bit whole numbers while they fit), buckets
/// and labels row by row.
///
/// Rows are appended — a week's at a time, say — and each column's sum over every complete
/// chunk of rows is kept, so training on a set that has grown does not re-read its old rows to
/// find the columns' means (the sums are the ones a single pass would take: per chunk in row
/// order, then chunk by chunk).
public struct TabularTrainingData: Sendable {
    /// The columns.
    public let schema: TabularSchema
    /// How many rows the set holds.
    public private(set) var rowCount = 0
    /// Each row's label.
    public private(set) var labels: [Bool] = []
    /// How many labels are `true`.
    public private(set) var positives = 0
    /// The numeric columns, in the schema's order.
    private(set) var columns: [NumericColumn]
    /// The categorical values' buckets, row by row (as in `TabularTable`).
    private(set) var buckets: [Int32] = []
    /// Per complete chunk of `TabularTrainingSet.chunkRows` rows: `chunkStatistics(_:)`.
    private(set) var completeChunks: [[Double]] = []

    /// An empty set of `schema`'s columns.
    public init(schema: TabularSchema) {
        self.schema = schema
        columns = Array(repeating: NumericColumn(), count: schema.numeric.count)
    }

    /// The rows of `table` with `labels` (one per row; checked with a precondition).
    public init(table: TabularTable, labels: [Bool]) {
        self.init(schema: table.schema)
        append(table, labels: labels)
    }

    /// Appends every row of `table` (of this set's schema) with its label (one per row; both
    /// checked with a precondition).
    public mutating func append(_ table: TabularTable, labels: [Bool]) {
        precondition(table.schema == schema, "cannot append rows of another schema")
        precondition(labels.count == table.rowCount, "one label per row: \(table.rowCount) rows, \(labels.count) labels")
        let numericColumns = schema.numeric.count
        table.numeric.withUnsafeBufferPointer { numeric in
            for column in 0..<numericColumns {
                columns[column].append(numeric, start: column, stride: numericColumns, count: table.rowCount)
            }
        }
        buckets.append(contentsOf: table.buckets)
        self.labels.append(contentsOf: labels)
        positives += labels.reduce(0) { $0 + ($1 ? 1 : 0) }
        rowCount += table.rowCount
        while (completeChunks.count + 1) * TabularTrainingSet.chunkRows <= rowCount {
            completeChunks.append(chunkStatistics(completeChunks.count))
        }
    }

    /// Chunk `chunk`'s sum of each numeric column (its rows in order), then per column 1 if a
    /// value differs from row 0's, else 0.
    func chunkStatistics(_ chunk: Int) -> [Double] {
        let rows = TabularTrainingSet.rows(ofChunk: chunk, rowCount: rowCount)
        return columns.withValues { columns in
            var statistics = [Double](repeating: 0, count: 2 * columns.count)
            for (column, values) in columns.enumerated() {
                let first = values[0]
                var sum = 0.0
                var differs = false
                for row in rows {
                    let value = values[row]
                    sum += value
                    differs = differs || value != first
                }
                statistics[column] = sum
                statistics[columns.count + column] = differs ? 1 : 0
            }
            return statistics
        }
    }
}

import Determinism

/// The rows a `TabularTrainer` learns from, and their labels, in the form its passes read:
/// numeric columns one by one (`NumericColumn`: 16-bit whole numbers while they fit), buckets
/// and labels row by row.
///
/// Rows are appended — a week's at a time, say — and each column's sum and squared deviations
/// over every complete chunk of rows are kept, so training on a set that has grown does not
/// re-read its old rows to find the columns' means and spreads (the sums are the ones a single
/// pass would take: per chunk in row order, then chunk by chunk).
///
/// A set made with a series step holds panel data — the same series (customers, say) period
/// after period — and its rows are also grouped into runs along their series (`SeriesRuns`):
/// the trainer then sums a run of rows that only move by the step in one go. Its classifiers
/// differ from those of the same rows without series only in the rounding of those sums.
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
    /// The rows grouped into runs along their series, for a set made with a series step.
    private(set) var runs: SeriesRuns?

    /// An empty set of `schema`'s columns.
    public init(schema: TabularSchema) {
        self.schema = schema
        columns = Array(repeating: NumericColumn(), count: schema.numeric.count)
    }

    /// An empty set of `schema`'s columns for panel data: rows appended with their series, where
    /// a series' row typically moves by `seriesStep` (one value per numeric column, checked with a
    /// precondition) from the period before — for weekly rows, `+7` in a column of days since an
    /// event and `0` in the others.
    public init(schema: TabularSchema, seriesStep: [Double]) {
        precondition(seriesStep.count == schema.numeric.count, "a series step needs \(schema.numeric.count) values, got \(seriesStep.count)")
        precondition(seriesStep.allSatisfy(\.isFinite), "a series step must be finite")
        self.init(schema: schema)
        runs = SeriesRuns(step: seriesStep, categoricalColumns: schema.categorical.count)
    }

    /// The rows of `table` with `labels` (one per row; checked with a precondition).
    public init(table: TabularTable, labels: [Bool]) {
        self.init(schema: table.schema)
        append(table, labels: labels)
    }

    /// Appends every row of `table` (of this set's schema) with its label (one per row; both
    /// checked with a precondition), to a set made without a series step.
    public mutating func append(_ table: TabularTable, labels: [Bool]) {
        precondition(runs == nil, "a set made with a series step takes each row's series")
        appendRows(table, labels: labels)
    }

    /// Appends every row of `table` with its label and its series (one each per row; checked
    /// with a precondition), to a set made with a series step. Each row joins its series' run
    /// when it follows that run's last row by the step.
    public mutating func append(_ table: TabularTable, labels: [Bool], series: [Int32]) {
        precondition(runs != nil, "only a set made with a series step takes series")
        precondition(series.count == table.rowCount, "one series per row: \(table.rowCount) rows, \(series.count) series")
        appendRows(table, labels: labels)
        let numericColumns = schema.numeric.count, categoricalColumns = schema.categorical.count
        table.numeric.withUnsafeBufferPointer { values in
            table.buckets.withUnsafeBufferPointer { buckets in
                for (row, id) in series.enumerated() {
                    runs!.add(series: id, values: UnsafeBufferPointer(rebasing: values[(row * numericColumns)..<((row + 1) * numericColumns)]),
                              buckets: UnsafeBufferPointer(rebasing: buckets[(row * categoricalColumns)..<((row + 1) * categoricalColumns)]),
                              label: labels[row])
                }
            }
        }
    }

    private mutating func appendRows(_ table: TabularTable, labels: [Bool]) {
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
    /// value differs from row 0's (else 0), then per column the sum of its squared deviations
    /// from the chunk's mean (in row order).
    func chunkStatistics(_ chunk: Int) -> [Double] {
        let rows = TabularTrainingSet.rows(ofChunk: chunk, rowCount: rowCount)
        var statistics = [Double](repeating: 0, count: 3 * columns.count)
        for (index, column) in columns.enumerated() {
            let (sum, differs, squares) = column.withValues { values in
                switch values {
                case .wholes(let values): Self.statistics(of: rows) { Double(values[$0]) }
                case .doubles(let values): Self.statistics(of: rows) { values[$0] }
                }
            }
            statistics[index] = sum
            statistics[columns.count + index] = differs ? 1 : 0
            statistics[2 * columns.count + index] = squares
        }
        return statistics
    }

    /// The sum of `value` over `rows` (in order), whether one differs from row 0's (the
    /// column's first), and the sum of squared deviations from their mean (in order).
    @inline(__always)
    private static func statistics(of rows: Range<Int>, _ value: (Int) -> Double) -> (sum: Double, differs: Bool, squares: Double) {
        let first = value(0)
        var sum = 0.0
        var differs = false
        for row in rows {
            let value = value(row)
            sum += value
            differs = differs || value != first
        }
        let mean = sum / Double(rows.count)
        var squares = 0.0
        for row in rows {
            let deviation = value(row) - mean
            squares += deviation * deviation
        }
        return (sum, differs, squares)
    }
}

/// Training rows made ready for Newton's method: their numeric columns' standardisation, the rows
/// cut into chunks of `chunkRows`, and each label's loss weight.
///
/// Every sum over rows is taken chunk by chunk, each chunk's rows in order, and the chunks' sums
/// are then added in chunk order; chunks are fixed by the row count alone, so the results do not
/// depend on how many threads computed them.
struct TabularTrainingSet: Sendable {
    /// Rows per chunk.
    static let chunkRows = 16_384

    let rowCount: Int
    let numericColumns: Int
    let categoricalColumns: Int
    let bucketsPerColumn: Int
    /// Per numeric column, the mean of its values.
    let means: [Double]
    /// Per numeric column, the population standard deviation of its values; 1 if they are all equal.
    let scales: [Double]
    /// `1 / scale` per column: a standardised value is `(x − mean) × inverseScale`, as in
    /// `TabularClassifier`.
    let inverseScales: [Double]
    /// The numeric columns, the buckets and the labels.
    let rows: TabularTrainingData
    /// The loss weight of a row labelled `true`, and of one labelled `false`.
    let positiveWeight: Double
    let negativeWeight: Double
    /// The sum of every row's loss weight.
    let totalWeight: Double
    /// Threads for the sums (the results do not depend on it).
    let threads: Int

    /// - Throws: `TrainingError.numericalFailure` if a column's mean or spread overflows.
    init(rows: TabularTrainingData, balancesLabels: Bool, threads: Int) throws {
        self.rows = rows
        rowCount = rows.rowCount
        numericColumns = rows.schema.numeric.count
        categoricalColumns = rows.schema.categorical.count
        bucketsPerColumn = rows.schema.categoricalBuckets
        self.threads = threads

        let positives = rows.positives
        let negatives = rowCount - positives
        if balancesLabels {
            positiveWeight = Double(rowCount) / Double(2 * positives)
            negativeWeight = Double(rowCount) / Double(2 * negatives)
        } else {
            positiveWeight = 1
            negativeWeight = 1
        }
        totalWeight = Double(positives) * positiveWeight + Double(negatives) * negativeWeight

        (means, scales) = try Self.columnStatistics(rows)
        inverseScales = scales.map { 1 / $0 }
    }

    var chunkCount: Int { (rowCount + Self.chunkRows - 1) / Self.chunkRows }

    func rows(ofChunk chunk: Int) -> Range<Int> { Self.rows(ofChunk: chunk, rowCount: rowCount) }

    static func rows(ofChunk chunk: Int, rowCount: Int) -> Range<Int> {
        chunk * chunkRows..<min(rowCount, (chunk + 1) * chunkRows)
    }

    /// Each numeric column's mean and population standard deviation, both from the per-chunk
    /// statistics (`TabularTrainingData.chunkStatistics(_:)`), added chunk by chunk: the squared
    /// deviations from the mean are each chunk's own, `M₂`, plus `n_c × (chunk mean − mean)²`
    /// (Chan et al.'s combination, as stable as a second pass and without one). A column whose
    /// values are all equal gets that value as its mean and 1 as its scale, so its standardised
    /// values are exactly 0.
    private static func columnStatistics(_ data: TabularTrainingData) throws -> (means: [Double], scales: [Double]) {
        let columns = data.schema.numeric.count
        let rowCount = data.rowCount
        let chunks = (rowCount + chunkRows - 1) / chunkRows
        // Kept for the complete chunks, taken for the last one if it is not.
        let partials = data.completeChunks + (data.completeChunks.count < chunks ? [data.chunkStatistics(chunks - 1)] : [])
        var sums = [Double](repeating: 0, count: columns)
        var varies = [Bool](repeating: false, count: columns)
        for partial in partials {
            for column in 0..<columns {
                sums[column] += partial[column]
                varies[column] = varies[column] || partial[columns + column] != 0
            }
        }
        let firstRow = data.columns.map { $0[0] }
        let means = (0..<columns).map { varies[$0] ? sums[$0] / Double(rowCount) : firstRow[$0] }
        var scales = [Double](repeating: 0, count: columns)
        for (chunk, partial) in partials.enumerated() {
            let count = Double(rows(ofChunk: chunk, rowCount: rowCount).count)
            for column in 0..<columns {
                let offset = partial[column] / count - means[column]
                scales[column] += partial[2 * columns + column] + count * (offset * offset)
            }
        }
        for column in 0..<columns {
            let scale = (scales[column] / Double(rowCount)).squareRoot()
            guard means[column].isFinite, scale.isFinite else {
                throw TrainingError.numericalFailure("numeric column \"\(data.schema.numeric[column])\" has values so large that their mean or spread overflows; rescale it")
            }
            scales[column] = varies[column] && scale > 0 ? scale : 1
        }
        return (means, scales)
    }
}

/// A binary logistic regression over a table's rows: what `TabularTrainer` learns.
///
/// A row's logit is the bias, plus each numeric column's weight times its standardised value
/// `(x − mean) × (1 / scale)` (the reciprocal computed once per column), in column order, plus the weight of each categorical column's bucket, in
/// column order; its probability is the logistic of that logit (`Logistic`), the probability
/// that the row's label is `true`. Every row is scored with the same operations in the same order,
/// so a row's probability has the same bits however it is asked for.
public struct TabularClassifier: Sendable, Equatable {
    /// The columns it reads.
    public let schema: TabularSchema
    /// Per numeric column, the mean its values are centred on.
    public let means: [Double]
    /// Per numeric column, the (population) standard deviation of its training values, whose
    /// reciprocal scales its centred values; 1 for a column that did not vary.
    public let scales: [Double]
    /// Per numeric column, the weight of its standardised value.
    public let numericWeights: [Double]
    /// Per categorical column, one weight per bucket: column `c`'s bucket `b` is at
    /// `c × schema.categoricalBuckets + b`.
    public let categoricalWeights: [Double]
    /// The logit of a row whose standardised values are all 0 and whose buckets weigh nothing.
    public let bias: Double
    /// The Newton steps training took.
    public let iterations: Int
    /// `1 / scale` per numeric column.
    private let inverseScales: [Double]

    /// A classifier from its parts: one mean, scale and weight per numeric column, one weight per
    /// bucket of each categorical column, all finite, scales positive (checked with preconditions).
    public init(
        schema: TabularSchema, means: [Double], scales: [Double], numericWeights: [Double],
        categoricalWeights: [Double], bias: Double, iterations: Int
    ) {
        precondition(means.count == schema.numeric.count && scales.count == schema.numeric.count
            && numericWeights.count == schema.numeric.count, "one mean, scale and weight per numeric column")
        precondition(categoricalWeights.count == schema.categorical.count * schema.categoricalBuckets,
                     "one weight per bucket of each categorical column")
        precondition((means + numericWeights + categoricalWeights + [bias]).allSatisfy(\.isFinite), "weights must be finite")
        precondition(scales.allSatisfy { $0.isFinite && $0 > 0 }, "scales must be finite and positive")
        precondition(iterations >= 0, "iterations cannot be negative")
        self.schema = schema
        self.means = means
        self.scales = scales
        self.numericWeights = numericWeights
        self.categoricalWeights = categoricalWeights
        self.bias = bias
        self.iterations = iterations
        inverseScales = scales.map { 1 / $0 }
    }

    /// The probability that row `row` of `table` (which must have this classifier's schema) has
    /// the label `true`.
    public func probability(ofRow row: Int, in table: TabularTable) -> Double {
        labelProbabilities(ofRow: row, in: table).positive
    }

    /// The probabilities that row `row` of `table` has the label `true` (`positive`, the bits of
    /// `probability(ofRow:in:)`) and `false` (`negative`), each computed directly rather than
    /// one as 1 minus the other, so neither tail loses precision.
    public func labelProbabilities(ofRow row: Int, in table: TabularTable) -> (positive: Double, negative: Double) {
        precondition(table.schema == schema, "the table has another schema than the classifier")
        precondition(row >= 0 && row < table.rowCount, "row \(row) is outside the table's \(table.rowCount) rows")
        return table.numeric.withUnsafeBufferPointer { numeric in
            table.buckets.withUnsafeBufferPointer { buckets in
                Logistic.probabilities(logit: logit(ofRow: row, numeric: numeric, buckets: buckets))
            }
        }
    }

    /// `probability(ofRow:in:)` of every row of `table`, in row order, with the same bits: every
    /// row's logit first (the same operations in the same order as `logit(ofRow:numeric:buckets:)`,
    /// reading the parameters through buffer pointers), then the probabilities two rows at a time.
    public func probabilities(_ table: TabularTable) -> [Double] {
        precondition(table.schema == schema, "the table has another schema than the classifier")
        let rows = table.rowCount
        let numericColumns = means.count, categoricalColumns = schema.categorical.count, bucketsPerColumn = schema.categoricalBuckets
        // Per numeric column its mean, then its inverse scale, then its weight.
        let parameters = means + inverseScales + numericWeights
        let bias = bias
        return [Double](unsafeUninitializedCapacity: rows) { out, initialized in
            table.numeric.withUnsafeBufferPointer { numeric in
                table.buckets.withUnsafeBufferPointer { buckets in
                    parameters.withUnsafeBufferPointer { parameters in
                        categoricalWeights.withUnsafeBufferPointer { bucketWeights in
                            // (Buffers, not base addresses: a table may have no numeric columns.)
                            let means = 0, inverseScales = numericColumns, weights = 2 * numericColumns
                            for row in 0..<rows {
                                var logit = bias
                                let values = row &* numericColumns
                                for column in 0..<numericColumns {
                                    logit += parameters[weights &+ column]
                                        * ((numeric[values &+ column] - parameters[means &+ column]) * parameters[inverseScales &+ column])
                                }
                                for column in 0..<categoricalColumns {
                                    logit += bucketWeights[column &* bucketsPerColumn &+ Int(buckets[row &* categoricalColumns &+ column])]
                                }
                                out[row] = logit
                            }
                        }
                    }
                }
            }
            var row = 0
            while row + 1 < rows {
                let pair = Logistic.positiveProbabilities(logits: SIMD2(out[row], out[row + 1]))
                out[row] = pair[0]
                out[row + 1] = pair[1]
                row += 2
            }
            if row < rows { out[row] = Logistic.probabilities(logit: out[row]).positive }
            initialized = rows
        }
    }

    /// The logit of one row, from the table's flat arrays.
    @inline(__always)
    private func logit(ofRow row: Int, numeric: UnsafeBufferPointer<Double>, buckets: UnsafeBufferPointer<Int32>) -> Double {
        let numericColumns = means.count
        let categoricalColumns = schema.categorical.count
        var logit = bias
        for column in 0..<numericColumns {
            logit += numericWeights[column] * ((numeric[row * numericColumns + column] - means[column]) * inverseScales[column])
        }
        for column in 0..<categoricalColumns {
            logit += categoricalWeights[column * schema.categoricalBuckets + Int(buckets[row * categoricalColumns + column])]
        }
        return logit
    }
}

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
    /// What a row's numeric terms read, column by column: the means, then `1 / scale` per
    /// column, then the weights.
    private let numericParameters: [Double]

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
        numericParameters = means + scales.map { 1 / $0 } + numericWeights
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
        return withRowLogits(of: table) { logit in Logistic.probabilities(logit: logit(row)) }
    }

    /// `probability(ofRow:in:)` of every row of `table`, in row order, with the same bits: every
    /// row's logit first, then the probabilities two rows at a time.
    public func probabilities(_ table: TabularTable) -> [Double] {
        precondition(table.schema == schema, "the table has another schema than the classifier")
        let rows = table.rowCount
        return [Double](unsafeUninitializedCapacity: rows) { out, initialized in
            withRowLogits(of: table) { logit in
                for row in 0..<rows { out[row] = logit(row) }
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

    /// Calls `body` with the logit of a row of `table`, by row: the bias, plus each numeric
    /// column's weight × ((value − mean) × (1 / scale)) in column order, plus each categorical
    /// column's bucket weight in column order. Every way of scoring goes through it, so a row's
    /// logit has the same bits however it is asked for. It reads the table and the parameters
    /// through buffers (a table may have no numeric columns, so no base address is assumed).
    @inline(__always)
    private func withRowLogits<Result>(of table: TabularTable, _ body: ((Int) -> Double) -> Result) -> Result {
        let numericColumns = means.count, categoricalColumns = schema.categorical.count, bucketsPerColumn = schema.categoricalBuckets
        let bias = bias
        return table.numeric.withUnsafeBufferPointer { numeric in
            table.buckets.withUnsafeBufferPointer { buckets in
                numericParameters.withUnsafeBufferPointer { parameters in
                    categoricalWeights.withUnsafeBufferPointer { bucketWeights in
                        let means = 0, inverseScales = numericColumns, weights = 2 * numericColumns
                        return body { row in
                            var logit = bias
                            let values = row &* numericColumns
                            for column in 0..<numericColumns {
                                logit += parameters[weights &+ column]
                                    * ((numeric[values &+ column] - parameters[means &+ column]) * parameters[inverseScales &+ column])
                            }
                            for column in 0..<categoricalColumns {
                                logit += bucketWeights[column &* bucketsPerColumn &+ Int(buckets[row &* categoricalColumns &+ column])]
                            }
                            return logit
                        }
                    }
                }
            }
        }
    }
}

import Determinism

/// Trains a `TabularClassifier`: binary logistic regression with L2, fitted by Newton–Raphson
/// (iteratively reweighted least squares).
///
/// 1. Numeric columns are standardised with their mean and population standard deviation (a
///    column that does not vary gets scale 1); each categorical column becomes one weight per
///    hash bucket, of which every row touches exactly one.
/// 2. Training minimises `Σ wᵢ·ℓᵢ / W + l2 / 2 × Σ weight²`, with ℓᵢ row i's log-loss, wᵢ its loss
///    weight (1, or `n / (2 × n_label)` with `balancesLabels`), W the sum of the wᵢ, and the
///    bias not penalised.
/// 3. From zero weights and the bias at the (weighted) log-odds of the base rate — or from a warm
///    start, or an earlier training's `NewtonCheckpoint` — each Newton step solves `H·δ = g`
///    (gradient g, Hessian H of that objective) by Cholesky factorisation and subtracts δ,
///    until the step leaves no coefficient more than `tolerance` from the optimum: when no
///    coefficient moves by more than `tolerance`, or —
///    Newton's method converging quadratically near the optimum, each step about `c·s²` for a
///    step `s` before it — when the step after this one is predicted to be that small (see
///    `predictedNextStep`). The gradient and Hessian are summed over fixed chunks of rows
///    (`TabularTrainingSet`) — or of runs of rows, for panel data (`SeriesRuns`) — so the
///    result has the same bits on any number of threads.
public enum TabularTrainer {
    /// The classifier that predicts `labels` (one per row of `table`; `true` is the label whose
    /// probability it gives) from `table`'s columns.
    ///
    /// - Parameters:
    ///   - initial: a warm start: a classifier of the same schema (typically the previous
    ///     training's, on similar data) whose function Newton's method starts from. Its weights
    ///     are carried over to this table's standardisation (each numeric weight times the new
    ///     scale over the old, the bias shifted by the moved means), so the starting logits are
    ///     the ones it gives. The optimum is the same as without it, to within `tolerance`; near
    ///     the optimum, it takes fewer steps.
    ///   - threads: how many threads sum over rows; the result does not depend on it.
    /// - Throws: `TrainingError`: `noExamples` for an empty table, `labelCountMismatch`,
    ///   `singleLabel` when every row has the same label, `invalidParameter` for parameters out of
    ///   range or a warm start of another schema, `notConverged` after `maxIterations` steps, and
    ///   `numericalFailure` for a singular Newton system (with `l2` = 0, or when every row is
    ///   predicted with certainty) or a value that is not finite.
    public static func train(
        _ table: TabularTable, labels: [Bool], parameters: TabularTrainingParameters = TabularTrainingParameters(),
        initial: TabularClassifier? = nil, threads: Int = ParallelWork.availableCores
    ) throws -> TabularClassifier {
        guard labels.count == table.rowCount else { throw TrainingError.labelCountMismatch(rows: table.rowCount, labels: labels.count) }
        return try train(TabularTrainingData(table: table, labels: labels), parameters: parameters, initial: initial, threads: threads)
    }

    /// `train(_:labels:parameters:initial:threads:)` on rows already in the trainer's form, which
    /// a caller that trains again and again on a growing set (a weekly retrain, say) keeps and
    /// extends: the same classifier, bit for bit, as from the table and labels they hold (for
    /// rows appended with their series, the same as from the same rows and series appended at
    /// once).
    public static func train(
        _ rows: TabularTrainingData, parameters: TabularTrainingParameters = TabularTrainingParameters(),
        initial: TabularClassifier? = nil, threads: Int = ParallelWork.availableCores
    ) throws -> TabularClassifier {
        try train(rows, parameters: parameters, resuming: nil, initial: initial, threads: threads).classifier
    }

    /// `train(_:parameters:initial:threads:)`, that can start from a `NewtonCheckpoint` of an
    /// earlier training and returns the checkpoint of this one (nil with `balancesLabels`).
    ///
    /// - Parameters:
    ///   - checkpoint: where an earlier training on the first `checkpoint.rows` rows of `rows`
    ///     — the same rows in the same order, which the caller vouches for (by their summary's
    ///     hash, say) — last summed. Newton's method starts at its coefficients, with its sums
    ///     plus those of the rows after it, so the first step reads only those; `initial` is
    ///     then not used. The optimum is the same as without it, to within `tolerance`.
    /// - Throws: as `train(_:parameters:initial:threads:)`; `invalidParameter` also for a
    ///   checkpoint of another schema, of more rows than `rows`, or given with `balancesLabels`.
    public static func train(
        _ rows: TabularTrainingData, parameters: TabularTrainingParameters = TabularTrainingParameters(),
        resuming checkpoint: NewtonCheckpoint?, initial: TabularClassifier? = nil, threads: Int = ParallelWork.availableCores
    ) throws -> (classifier: TabularClassifier, checkpoint: NewtonCheckpoint?) {
        guard rows.rowCount > 0 else { throw TrainingError.noExamples }
        if let problem = parameters.problem { throw TrainingError.invalidParameter(problem.description) }
        if let initial, initial.schema != rows.schema {
            throw TrainingError.invalidParameter("the warm start classifier has another schema than the table")
        }
        if rows.positives == 0 || rows.positives == rows.rowCount { throw TrainingError.singleLabel(String(rows.positives > 0)) }

        let data = try TabularTrainingSet(rows: rows, balancesLabels: parameters.balancesLabels, threads: threads)
        let layout = NewtonLayout(dense: 1 + data.numericColumns, categorical: data.categoricalColumns, buckets: data.bucketsPerColumn)
        var (coefficients, sums) = try start(data, layout: layout, checkpoint: checkpoint, initial: initial, parameters: parameters)
        let penalty = data.totalWeight * parameters.l2
        var system = newtonSystem(sums: sums, at: coefficients, layout: layout, penalty: penalty)
        var largestStep = Double.infinity
        var previousFullStep: Double?  // the largest move of the step before, if it was taken in full
        for iteration in 1...parameters.maxIterations {
            guard let step = CholeskySolver.solve(lower: system.hessian, size: layout.coefficients, system.gradient) else {
                throw TrainingError.numericalFailure(
                    "the Newton system is singular at step \(iteration): with l2 = 0, a column that never varies, a duplicated column or an unused bucket makes it so (use l2 > 0); otherwise every row is already predicted with certainty")
            }
            largestStep = step.reduce(0) { Swift.max($0, abs($1)) }
            if largestStep <= parameters.tolerance
                || previousFullStep.map({ predictedNextStep(after: largestStep, previous: $0) <= parameters.tolerance }) == true {
                let result = classifier(zip(coefficients, step).map { $0 - $1 }, schema: rows.schema, data: data, layout: layout, iterations: iteration)
                let reached = parameters.balancesLabels ? nil : NewtonCheckpoint(
                    rows: rows.rowCount, means: data.means, scales: data.scales, coefficients: coefficients, sums: sums)
                return (result, reached)
            }
            // Damped Newton: halve the step until the gradient's norm falls, the merit function
            // for which the Newton direction always descends. Far from the optimum a full step
            // can overshoot (heavy-tailed columns); near it the full step is taken.
            let norm = squaredNorm(system.gradient)
            var scale = 1.0
            while true {
                let candidate = zip(coefficients, step).map { $0 - scale * $1 }
                guard candidate.allSatisfy(\.isFinite) else {
                    throw TrainingError.numericalFailure("a weight became infinite or NaN at Newton step \(iteration)")
                }
                let candidateSums = data.newtonSums(at: candidate, layout: layout)
                let next = newtonSystem(sums: candidateSums, at: candidate, layout: layout, penalty: penalty)
                if squaredNorm(next.gradient) < norm || largestStep * scale <= parameters.tolerance {
                    coefficients = candidate
                    sums = candidateSums
                    system = next
                    previousFullStep = scale == 1 ? largestStep : nil
                    break
                }
                scale /= 2
            }
        }
        throw TrainingError.notConverged(iterations: parameters.maxIterations, largestStep: largestStep, tolerance: parameters.tolerance)
    }

    /// Where Newton's method starts, with the sums there: `checkpoint`'s coefficients and sums,
    /// moved to `data`'s standardisation, plus the sums of the rows after it; else the warm
    /// start's (or the base rate's) coefficients, summed over every row.
    private static func start(_ data: TabularTrainingSet, layout: NewtonLayout, checkpoint: NewtonCheckpoint?,
                              initial: TabularClassifier?, parameters: TabularTrainingParameters) throws
        -> (coefficients: [Double], sums: [Double]) {
        guard let checkpoint else {
            let coefficients = initial.map { startingCoefficients(warmStart: $0, data: data) } ?? startingCoefficients(data, layout: layout)
            return (coefficients, data.newtonSums(at: coefficients, layout: layout))
        }
        if let problem = problem(of: checkpoint, rows: data.rows, layout: layout, parameters: parameters) {
            throw TrainingError.invalidParameter("the Newton checkpoint \(problem)")
        }
        var (coefficients, sums) = checkpoint.restandardised(means: data.means, scales: data.scales, layout: layout)
        if checkpoint.rows < data.rowCount {
            let added = data.newtonSums(ofRowsFrom: checkpoint.rows, at: coefficients, layout: layout)
            for index in sums.indices { sums[index] += added[index] }
        }
        return (coefficients, sums)
    }

    /// Why `checkpoint` cannot start a training on `rows`, if it cannot.
    private static func problem(of checkpoint: NewtonCheckpoint, rows: TabularTrainingData, layout: NewtonLayout,
                                parameters: TabularTrainingParameters) -> String? {
        if parameters.balancesLabels { return "cannot be used with balances_labels: balanced loss weights change as rows are added" }
        if checkpoint.rows > rows.rowCount { return "is of \(checkpoint.rows) rows, more than the \(rows.rowCount) to train on" }
        if checkpoint.means.count != rows.schema.numeric.count || checkpoint.coefficients.count != layout.coefficients
            || checkpoint.sums.count != layout.count {
            return "is of another schema than the table"
        }
        return nil
    }

    /// The largest move of the Newton step after one of `step`, itself taken after a full step of
    /// `previous`, on quadratic convergence: steps go as `s₊ ≈ c·s²`, so `c ≈ step / previous²`
    /// and the next is about `c·step² = step³ / previous²`. Only a step that shrank counts (a
    /// step as large as the one before is not converging yet): it is then infinity.
    ///
    /// Taking `step` leaves the coefficients about that far from the optimum; stopping there
    /// saves the pass over the rows that would only confirm it.
    private static func predictedNextStep(after step: Double, previous: Double) -> Double {
        guard step < previous else { return .infinity }
        let ratio = step / previous
        return step * ratio * ratio
    }

    /// The classifier with `coefficients` (bias, numeric weights, bucket weights).
    private static func classifier(_ coefficients: [Double], schema: TabularSchema, data: TabularTrainingSet, layout: NewtonLayout, iterations: Int) -> TabularClassifier {
        TabularClassifier(
            schema: schema, means: data.means, scales: data.scales,
            numericWeights: Array(coefficients[1..<layout.dense]), categoricalWeights: Array(coefficients[layout.dense...]),
            bias: coefficients[0], iterations: iterations)
    }

    /// The sum of squares, in index order.
    private static func squaredNorm(_ values: [Double]) -> Double {
        values.reduce(0) { $0 + $1 * $1 }
    }

    /// Zero weights, and the bias at the log-odds of the weighted share of `true` labels.
    private static func startingCoefficients(_ data: TabularTrainingSet, layout: NewtonLayout) -> [Double] {
        let positives = Double(data.rows.positives)
        let negatives = Double(data.rowCount) - positives
        var coefficients = [Double](repeating: 0, count: layout.coefficients)
        coefficients[0] = PortableMath.log(positives * data.positiveWeight) - PortableMath.log(negatives * data.negativeWeight)
        return coefficients
    }

    /// `initial`'s function in this data's standardisation: `w·(x − m)/s = (w·s′/s)·(x − m′)/s′ + w·(m′ − m)/s`.
    private static func startingCoefficients(warmStart initial: TabularClassifier, data: TabularTrainingSet) -> [Double] {
        var bias = initial.bias
        var numeric: [Double] = []
        for column in 0..<data.numericColumns {
            let weight = initial.numericWeights[column]
            bias += weight * ((data.means[column] - initial.means[column]) / initial.scales[column])
            numeric.append(weight * (data.scales[column] / initial.scales[column]))
        }
        return [bias] + numeric + initial.categoricalWeights
    }

    /// The Newton system at `coefficients`: the summed Hessian's lower triangle as a full square
    /// (row by row) and the summed gradient, both with the L2 terms (`penalty` = W × l2) on every
    /// coefficient but the bias.
    private static func newtonSystem(sums: [Double], at coefficients: [Double], layout: NewtonLayout, penalty: Double)
        -> (hessian: [Double], gradient: [Double]) {
        let size = layout.coefficients
        let dense = layout.dense
        let buckets = layout.buckets
        var hessian = [Double](repeating: 0, count: size * size)
        var position = layout.denseStart
        for first in 0..<dense {
            for second in first..<dense {
                hessian[second * size + first] = sums[position]
                position += 1
            }
        }
        for slot in 0..<(layout.categorical * buckets) {
            let row = dense + slot
            for column in 0..<dense { hessian[row * size + column] = sums[layout.crossStart + slot * dense + column] }
            hessian[row * size + row] = sums[layout.crossStart + slot * dense]
        }
        for first in 0..<layout.categorical {
            for second in (first + 1)..<layout.categorical {
                let table = layout.pairStart(first, second)
                for firstBucket in 0..<buckets {
                    for secondBucket in 0..<buckets {
                        let row = dense + second * buckets + secondBucket
                        hessian[row * size + dense + first * buckets + firstBucket] = sums[table + firstBucket * buckets + secondBucket]
                    }
                }
            }
        }
        var gradient = Array(sums[0..<size])
        for index in 1..<size {
            hessian[index * size + index] += penalty
            gradient[index] += penalty * coefficients[index]
        }
        return (hessian, gradient)
    }
}

import Foundation
import ModelCore
import Testing

@Suite("Tabular logistic regression: Newton's method on seeded data with a known answer")
struct TabularTrainingTests {
    static let sample = try! TabularSample(rows: 40_000, seed: 1)
    static let model = try! TabularTrainer.train(sample.table, labels: sample.labels)

    /// Every number of a classifier, as bit patterns.
    static func bits(_ classifier: TabularClassifier) -> [UInt64] {
        (classifier.means + classifier.scales + classifier.numericWeights + classifier.categoricalWeights + [classifier.bias]).map(\.bitPattern)
    }

    /// The gradient of the objective the trainer documents — mean weighted log-loss plus
    /// l2 / 2 × Σ weight² — at `classifier`, computed the plain way with Foundation's `exp`.
    static func objectiveGradient(_ classifier: TabularClassifier, _ table: TabularTable, _ labels: [Bool], _ parameters: TabularTrainingParameters) -> [Double] {
        let numeric = classifier.schema.numeric.count, categorical = classifier.schema.categorical.count
        let buckets = classifier.schema.categoricalBuckets
        let positives = Double(labels.filter { $0 }.count), negatives = Double(labels.count) - positives
        let n = Double(labels.count)
        var gradient = [Double](repeating: 0, count: 1 + numeric + categorical * buckets)
        var totalWeight = 0.0
        for row in 0..<table.rowCount {
            var features = [Double](repeating: 0, count: gradient.count)
            features[0] = 1
            var logit = classifier.bias
            for column in 0..<numeric {
                let z = (table.numericValue(row: row, column: column) - classifier.means[column]) / classifier.scales[column]
                features[1 + column] = z
                logit += classifier.numericWeights[column] * z
            }
            for column in 0..<categorical {
                let slot = column * buckets + table.bucket(row: row, column: column)
                features[1 + numeric + slot] = 1
                logit += classifier.categoricalWeights[slot]
            }
            let weight = parameters.balancesLabels ? n / (2 * (labels[row] ? positives : negatives)) : 1
            totalWeight += weight
            let residual = weight * (1 / (1 + Foundation.exp(-logit)) - (labels[row] ? 1 : 0))
            for index in features.indices { gradient[index] += residual * features[index] }
        }
        let weights = [classifier.bias] + classifier.numericWeights + classifier.categoricalWeights
        return gradient.indices.map { gradient[$0] / totalWeight + ($0 == 0 ? 0 : parameters.l2 * weights[$0]) }
    }

    @Test("the coefficients of the generating model are recovered")
    func recoversCoefficients() throws {
        let model = Self.model
        // Per unit of each raw column: the standardised weight divided by the column's scale.
        for column in 0..<3 {
            let learned = model.numericWeights[column] / model.scales[column]
            let truth = TabularSample.coefficients[column]
            // In standardised units the standard error is about 0.012 at 40,000 rows.
            #expect(abs((learned - truth) * model.scales[column]) < 0.05, "column \(column): learned \(learned), truth \(truth)")
        }
        let rawBias = model.bias - (0..<3).reduce(0) { $0 + model.numericWeights[$1] * model.means[$1] / model.scales[$1] }
        #expect(abs(rawBias - TabularSample.bias) < 0.15)
        #expect(model.iterations >= 3 && model.iterations <= 8, "Newton converges quadratically; took \(model.iterations)")
    }

    @Test("the result is the optimum of the documented objective", arguments: [false, true])
    func optimum(balanced: Bool) throws {
        let sample = try TabularSample(rows: 6_000, seed: 11, colours: true)
        let parameters = TabularTrainingParameters(l2: 0.01, balancesLabels: balanced)
        let model = try TabularTrainer.train(sample.table, labels: sample.labels, parameters: parameters)
        let gradient = Self.objectiveGradient(model, sample.table, sample.labels, parameters)
        #expect(gradient.allSatisfy { abs($0) < 1e-9 }, "largest gradient entry \(gradient.map(abs).max()!)")
        #expect(model.iterations <= 8, "took \(model.iterations) Newton steps")
        // The same objective, moved off the optimum, has a gradient: the check can fail.
        let moved = TabularClassifier(schema: model.schema, means: model.means, scales: model.scales, numericWeights: model.numericWeights,
                                      categoricalWeights: model.categoricalWeights, bias: model.bias + 0.01, iterations: 0)
        #expect(abs(Self.objectiveGradient(moved, sample.table, sample.labels, parameters)[0]) > 1e-4)
    }

    @Test("stopping leaves every weight within the tolerance of the optimum")
    func stoppingRule() throws {
        let sample = try TabularSample(rows: 20_000, seed: 5, colours: true)
        let model = try TabularTrainer.train(sample.table, labels: sample.labels)
        // Converged much further: the optimum, to within 1e-13.
        let optimum = try TabularTrainer.train(sample.table, labels: sample.labels, parameters: TabularTrainingParameters(tolerance: 1e-13))
        let weights = { (model: TabularClassifier) in [model.bias] + model.numericWeights + model.categoricalWeights }
        let largest = zip(weights(model), weights(optimum)).map { abs($0 - $1) }.max()!
        #expect(largest <= 1e-9, "\(largest) from the optimum")
        #expect(largest > 0, "1e-9 and 1e-13 stop at different steps here, so the check can fail")
    }

    @Test("balancing the labels moves the bias towards the rare label")
    func balancing() throws {
        let balanced = try TabularTrainer.train(Self.sample.table, labels: Self.sample.labels, parameters: TabularTrainingParameters(balancesLabels: true))
        let share = Double(Self.sample.labels.filter { $0 }.count) / Double(Self.sample.labels.count)
        let mean = { (model: TabularClassifier) in model.probabilities(Self.sample.table).reduce(0, +) / Double(Self.sample.table.rowCount) }
        #expect(abs(mean(Self.model) - share) < 0.01, "unbalanced: mean probability is the base rate")
        #expect(abs(mean(balanced) - 0.5) < 0.05, "balanced: about half")
    }

    @Test("a categorical column learns each category's effect")
    func categoricalEffects() throws {
        let sample = try TabularSample(rows: 40_000, seed: 5, colours: true)
        let model = try TabularTrainer.train(sample.table, labels: sample.labels)
        let buckets = TabularSample.colourEffects.map { model.schema.bucket(ofCategory: $0.colour) }
        #expect(Set(buckets).count == 3, "the colours must land in three buckets: \(buckets)")
        let weights = buckets.map { model.categoricalWeights[$0] }
        // Effects 1, 0, −1: only differences are identified (the bias takes the rest).
        #expect(abs((weights[0] - weights[1]) - 1) < 0.1, "\(weights)")
        #expect(abs((weights[1] - weights[2]) - 1) < 0.1, "\(weights)")
        let unused = model.categoricalWeights.indices.filter { !buckets.contains($0) }
        #expect(unused.allSatisfy { model.categoricalWeights[$0] == 0 }, "a bucket no row uses keeps weight 0")
    }

    @Test("same data, same bits; the thread count changes nothing")
    func determinism() throws {
        // 40,000 rows are three chunks of 16,384 rows.
        let again = try TabularTrainer.train(Self.sample.table, labels: Self.sample.labels)
        #expect(Self.bits(again) == Self.bits(Self.model))
        #expect(again.iterations == Self.model.iterations)
        for threads in [1, 2, 3] {
            let other = try TabularTrainer.train(Self.sample.table, labels: Self.sample.labels, threads: threads)
            #expect(Self.bits(other) == Self.bits(Self.model), "\(threads) threads")
        }
        let coloured = try TabularSample(rows: 35_000, seed: 9, colours: true)
        let one = try TabularTrainer.train(coloured.table, labels: coloured.labels, threads: 1)
        let three = try TabularTrainer.train(coloured.table, labels: coloured.labels, threads: 3)
        #expect(Self.bits(one) == Self.bits(three))
    }

    @Test("rows appended in pieces train as one table: whole-number columns held in 16 bits, a column that stops being one, −0.0")
    func trainingDataInPieces() throws {
        let sample = try TabularSample(rows: 40_000, seed: 5, colours: true)
        // age: whole numbers throughout; income: fractional; visits: whole numbers, but for
        // a −0.0 in row 30,000 (which 16 bits cannot hold: the column turns to doubles there).
        var table = TabularTable(schema: sample.table.schema)
        let colours = ["red", "yellow", "blue"]
        for row in 0..<sample.table.rowCount {
            let visits = row == 30_000 ? -0.0 : sample.table.numericValue(row: row, column: 2).rounded()
            try table.append(numeric: [sample.table.numericValue(row: row, column: 0).rounded(), sample.table.numericValue(row: row, column: 1), visits],
                             categorical: [colours[row % 3]])
        }
        let parameters = TabularTrainingParameters(l2: 0.001)
        let whole = try TabularTrainer.train(table, labels: sample.labels, parameters: parameters)
        // The same rows in pieces that cross the trainer's chunk boundaries unevenly.
        var data = TabularTrainingData(schema: table.schema)
        var start = 0
        for size in [1, 16_383, 5, 20_000, 3_611] {
            var piece = TabularTable(schema: table.schema)
            for row in start..<(start + size) {
                try piece.append(numeric: (0..<3).map { table.numericValue(row: row, column: $0) }, categorical: [colours[row % 3]])
            }
            data.append(piece, labels: Array(sample.labels[start..<(start + size)]))
            start += size
        }
        #expect(start == table.rowCount && data.rowCount == table.rowCount)
        let pieces = try TabularTrainer.train(data, parameters: parameters)
        #expect(Self.bits(pieces) == Self.bits(whole))
        // And it is the optimum of those values, read back exactly.
        let gradient = Self.objectiveGradient(pieces, table, sample.labels, parameters)
        #expect(gradient.allSatisfy { abs($0) < 1e-9 }, "largest gradient entry \(gradient.map(abs).max()!)")
        let ages = (0..<table.rowCount).map { table.numericValue(row: $0, column: 0) }
        #expect(abs(pieces.means[0] - ages.reduce(0, +) / Double(ages.count)) < 1e-9)
    }

    @Test("another seed gives other data and other weights")
    func otherData() throws {
        let other = try TabularSample(rows: 40_000, seed: 2)
        let model = try TabularTrainer.train(other.table, labels: other.labels)
        #expect(Self.bits(model) != Self.bits(Self.model))
    }

    @Test("probabilities: batch and per-row agree bit for bit, and match the logistic of the logit")
    func probabilities() throws {
        let model = Self.model
        let batch = model.probabilities(Self.sample.table)
        #expect(batch.count == Self.sample.table.rowCount)
        // (The batch takes rows two at a time: every row, in either lane, has the per-row bits.)
        let differing = (0..<batch.count).filter { model.probability(ofRow: $0, in: Self.sample.table).bitPattern != batch[$0].bitPattern }
        #expect(differing.isEmpty, "rows \(differing.prefix(5))")
        // The same with a categorical column, over an odd number of rows (the last one alone).
        let coloured = try TabularSample(rows: 2_001, seed: 3, colours: true)
        let colouredModel = try TabularTrainer.train(coloured.table, labels: coloured.labels)
        let colouredBatch = colouredModel.probabilities(coloured.table)
        let colouredDiffering = (0..<coloured.table.rowCount).filter {
            colouredModel.probability(ofRow: $0, in: coloured.table).bitPattern != colouredBatch[$0].bitPattern
        }
        #expect(colouredBatch.count == 2_001 && colouredDiffering.isEmpty, "rows \(colouredDiffering.prefix(5))")
        // And with no numeric column at all.
        var onlyColours = TabularTable(schema: try TabularSchema(numeric: [], categorical: ["colour"]))
        var colourLabels: [Bool] = []
        for row in 0..<101 {
            try onlyColours.append(numeric: [], categorical: [["red", "green", "blue"][row % 3]])
            colourLabels.append(row % 4 == 0 || row % 3 == 1)
        }
        let colourModel = try TabularTrainer.train(onlyColours, labels: colourLabels)
        let colourBatch = colourModel.probabilities(onlyColours)
        #expect(colourBatch.count == 101)
        #expect((0..<101).allSatisfy { colourModel.probability(ofRow: $0, in: onlyColours).bitPattern == colourBatch[$0].bitPattern })
        for row in stride(from: 0, to: Self.sample.table.rowCount, by: 997) {
            var logit = model.bias
            for column in 0..<3 {
                logit += model.numericWeights[column] * (Self.sample.table.numericValue(row: row, column: column) - model.means[column]) / model.scales[column]
            }
            #expect(abs(batch[row] - 1 / (1 + Foundation.exp(-logit))) < 1e-14)
        }
        // Extreme logits stay in [0, 1] and keep their precision in both tails.
        let schema = try TabularSchema(numeric: ["x"])
        var table = TabularTable(schema: schema)
        try table.append(rows: 2, numeric: [-800, 800])
        let steep = TabularClassifier(schema: schema, means: [0], scales: [1], numericWeights: [1], categoricalWeights: [], bias: 0, iterations: 0)
        #expect(steep.probabilities(table) == [0, 1])
        try table.append(numeric: [-40])
        #expect(abs(steep.probability(ofRow: 2, in: table) / Foundation.exp(-40) - 1) < 1e-12)
    }

    @Test("a warm start reaches the same optimum, in fewer steps")
    func warmStart() throws {
        let next = try TabularSample(rows: 30_000, seed: 3, shift: 0.2)
        let cold = try TabularTrainer.train(next.table, labels: next.labels)
        let warm = try TabularTrainer.train(next.table, labels: next.labels, initial: Self.model)
        #expect(warm.iterations < cold.iterations)
        for (a, b) in zip([cold.bias] + cold.numericWeights, [warm.bias] + warm.numericWeights) {
            #expect(abs(a - b) < 1e-8)
        }
        #expect(warm.means == cold.means && warm.scales == cold.scales)
        // Started at its own optimum, Newton's first step is already within the tolerance.
        let again = try TabularTrainer.train(next.table, labels: next.labels, initial: cold)
        #expect(again.iterations == 1)
        #expect(abs(again.bias - cold.bias) < 1e-9)
    }

    @Test("a column that never varies gets scale 1 and weight 0; with l2 = 0 its system is singular")
    func constantColumn() throws {
        let schema = try TabularSchema(numeric: ["x", "constant"])
        var table = TabularTable(schema: schema)
        var labels: [Bool] = []
        for row in 0..<200 {
            try table.append(numeric: [Double(row % 17), 0.1])
            labels.append(row % 3 == 0)
        }
        let model = try TabularTrainer.train(table, labels: labels)
        #expect(model.means[1] == 0.1 && model.scales[1] == 1 && model.numericWeights[1] == 0)
        #expect {
            try TabularTrainer.train(table, labels: labels, parameters: TabularTrainingParameters(l2: 0))
        } throws: { error in
            guard case TrainingError.numericalFailure(let reason) = error else { return false }
            return reason.contains("singular") && "\(error)".contains("l2 > 0")
        }
    }

    @Test("training refuses what it cannot learn from, and says why")
    func refusals() throws {
        let schema = try TabularSchema(numeric: ["x"])
        let table = Self.sample.table
        #expect(throws: TrainingError.noExamples) { try TabularTrainer.train(TabularTable(schema: schema), labels: []) }
        #expect(throws: TrainingError.labelCountMismatch(rows: table.rowCount, labels: 3)) {
            try TabularTrainer.train(table, labels: [true, false, true])
        }
        #expect(throws: TrainingError.singleLabel("true")) {
            try TabularTrainer.train(table, labels: Array(repeating: true, count: table.rowCount))
        }
        for parameters in [TabularTrainingParameters(l2: -1), TabularTrainingParameters(l2: .nan), TabularTrainingParameters(tolerance: 0),
                           TabularTrainingParameters(maxIterations: 0)] {
            #expect(throws: TrainingError.self) { try TabularTrainer.train(table, labels: Self.sample.labels, parameters: parameters) }
        }
        #expect(TabularTrainingParameters(maxIterations: 0).problem?.description == "max_iterations must be from 1 to 1000, got 0")
        var other = TabularTable(schema: schema)
        try other.append(rows: 2, numeric: [1, 2])
        #expect {
            try TabularTrainer.train(other, labels: [true, false], initial: Self.model)
        } throws: { error in
            "\(error)".contains("warm start") && "\(error)".contains("another schema")
        }
    }

    @Test("training that has not converged within max_iterations fails, saying by how much")
    func notConverged() throws {
        #expect {
            try TabularTrainer.train(Self.sample.table, labels: Self.sample.labels, parameters: TabularTrainingParameters(maxIterations: 2))
        } throws: { error in
            guard case TrainingError.notConverged(let iterations, let largestStep, let tolerance) = error else { return false }
            return iterations == 2 && largestStep > tolerance && tolerance == 1e-9 && "\(error)".contains("\(largestStep)")
        }
    }

    @Test("perfectly separable data converges with the L2 penalty")
    func separable() throws {
        let schema = try TabularSchema(numeric: ["x"])
        var table = TabularTable(schema: schema)
        try table.append(rows: 100, numeric: (0..<100).map(Double.init))
        let labels = (0..<100).map { $0 >= 50 }
        let model = try TabularTrainer.train(table, labels: labels)
        #expect(model.probability(ofRow: 0, in: table) < 0.01 && model.probability(ofRow: 99, in: table) > 0.99)
        #expect(model.numericWeights[0] > 5)
    }
}

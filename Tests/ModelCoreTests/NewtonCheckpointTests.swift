import Crypto
import Foundation
import ModelCore
import Testing

@Suite("Newton checkpoints: a training on the same rows and more starts where the last one summed")
struct NewtonCheckpointTests {
    typealias Panel = TabularSeriesTrainingTests.Panel
    static let panel = TabularSeriesTrainingTests.panel
    static let parameters = TabularTrainingParameters(l2: 0.001)

    /// The panel's first `periods` periods, appended a period at a time.
    static func data(periods: Int) -> TabularTrainingData {
        var data = TabularTrainingData(schema: Panel.schema, seriesStep: Panel.step)
        for period in panel.periods.prefix(periods) { data.append(period.table, labels: period.labels, series: period.series) }
        return data
    }

    /// The training of the first 20 periods, with its checkpoint.
    static let earlier = try! TabularTrainer.train(data(periods: 20), parameters: parameters, resuming: nil)

    @Test("a training returns the checkpoint of every row it learnt from, in its own standardisation")
    func checkpoint() throws {
        let checkpoint = try #require(Self.earlier.checkpoint)
        #expect(checkpoint.rows == Self.data(periods: 20).rowCount)
        #expect(checkpoint.means == Self.earlier.classifier.means && checkpoint.scales == Self.earlier.classifier.scales)
        // It holds the point before the last step, which moved no weight by more than the tolerance's order.
        let weights = [Self.earlier.classifier.bias] + Self.earlier.classifier.numericWeights + Self.earlier.classifier.categoricalWeights
        let moved = zip(checkpoint.coefficients, weights).map { abs($0 - $1) }.max()!
        #expect(moved > 0 && moved < 1e-3, "the last step moved a weight by \(moved)")
        #expect(checkpoint.sums.allSatisfy { $0.isFinite })
    }

    @Test("resuming on more rows reaches the optimum of all of them, as training from scratch does")
    func optimum() throws {
        let all = Self.data(periods: 30)
        let resumed = try TabularTrainer.train(all, parameters: Self.parameters, resuming: Self.earlier.checkpoint)
        let whole = Self.panel.whole
        let gradient = TabularTrainingTests.objectiveGradient(resumed.classifier, whole.table, whole.labels, Self.parameters)
        #expect(gradient.allSatisfy { abs($0) < 1e-9 }, "largest gradient entry \(gradient.map(abs).max()!)")
        let cold = try TabularTrainer.train(all, parameters: Self.parameters)
        #expect(resumed.classifier.means == cold.means && resumed.classifier.scales == cold.scales)
        let difference = zip(TabularTrainingTests.bits(resumed.classifier).map(Double.init(bitPattern:)),
                             TabularTrainingTests.bits(cold).map(Double.init(bitPattern:)))
            .map { abs($0 - $1) / Swift.max(1, abs($1)) }.max()!
        #expect(difference < 1e-8, "largest relative difference from the cold start: \(difference)")
        #expect(resumed.checkpoint?.rows == all.rowCount)
    }

    @Test("its first step is the warm start's: the stored sums, moved to the new standardisation, are the sums of those rows")
    func firstStep() throws {
        // The ages grow a year a period, so the 30 periods' standardisation is far from the 20's.
        let all = Self.data(periods: 30)
        var oneStep = Self.parameters
        oneStep.maxIterations = 1
        func firstStep(_ train: () throws -> Void) -> Double? {
            do { try train() } catch TrainingError.notConverged(_, let largestStep, _) { return largestStep } catch { return nil }
            return nil
        }
        let warm = try #require(firstStep { _ = try TabularTrainer.train(all, parameters: oneStep, initial: Self.earlier.classifier) })
        let resumed = try #require(firstStep { _ = try TabularTrainer.train(all, parameters: oneStep, resuming: Self.earlier.checkpoint) })
        #expect(warm > 1e-4, "the new rows move the optimum")
        #expect(abs(resumed - warm) / warm < 1e-3, "first step \(resumed) resumed, \(warm) from the warm start")
    }

    @Test("the same bits on any number of threads")
    func determinism() throws {
        let all = Self.data(periods: 30)
        let one = try TabularTrainer.train(all, parameters: Self.parameters, resuming: Self.earlier.checkpoint, threads: 1)
        for threads in [2, 3] {
            let other = try TabularTrainer.train(all, parameters: Self.parameters, resuming: Self.earlier.checkpoint, threads: threads)
            #expect(TabularTrainingTests.bits(other.classifier) == TabularTrainingTests.bits(one.classifier), "\(threads) threads")
            #expect(other.checkpoint == one.checkpoint, "\(threads) threads")
        }
    }

    @Test("resuming on the very same rows retakes the last step, then stops where it stopped")
    func sameRows() throws {
        let resumed = try TabularTrainer.train(Self.data(periods: 20), parameters: Self.parameters, resuming: Self.earlier.checkpoint)
        #expect(resumed.classifier.iterations <= 2)
        let difference = zip(TabularTrainingTests.bits(resumed.classifier).map(Double.init(bitPattern:)),
                             TabularTrainingTests.bits(Self.earlier.classifier).map(Double.init(bitPattern:)))
            .map { abs($0 - $1) }.max()!
        #expect(difference < 1e-8, "largest difference from the first training: \(difference)")
    }

    @Test("the checkpoint travels in the artifact, and a model without one is stored as before")
    func artifact() throws {
        let checkpoint = try #require(Self.earlier.checkpoint)
        let metadata = TabularModelMetadata(parameters: Self.parameters, trainingData: TrainingDataSummary(sha256: "", rows: checkpoint.rows, source: "panel"))
        let with = TabularModel(metadata: metadata, classifier: Self.earlier.classifier, checkpoint: checkpoint)
        let without = TabularModel(metadata: metadata, classifier: Self.earlier.classifier)
        #expect(try TabularModel(artifact: with.artifactBytes).checkpoint == checkpoint)
        #expect(try TabularModel(artifact: without.artifactBytes).checkpoint == nil)
        #expect(with.modelID != without.modelID)
        #expect(!String(decoding: without.artifactBytes, as: UTF8.self).contains("newton_checkpoint"))
        let body = String(decoding: with.artifactBytes, as: UTF8.self)
        #expect(body.contains(",\"newton_checkpoint\":{\"coefficients\":\"") && body.contains(",\"rows\":\(checkpoint.rows),\"scales\":\""))
        // Edited and sealed again, a malformed checkpoint is refused, naming its field.
        let sums = Self.base64(checkpoint.sums)
        let cases: [(edit: (String) -> String, problem: String)] = [
            ({ $0.replacingOccurrences(of: "\"rows\":\(checkpoint.rows)", with: "\"rows\":0") }, "newton_checkpoint.rows must be at least 1, got 0"),
            ({ $0.replacingOccurrences(of: sums, with: Self.base64(checkpoint.sums.dropLast())) },
             "newton_checkpoint.sums holds \(8 * checkpoint.sums.count - 8) bytes; \(checkpoint.sums.count) Newton sums need \(8 * checkpoint.sums.count)"),
        ]
        let header = with.artifactBytes.firstIndex(of: 0x0A)! + 1
        for (edit, problem) in cases {
            let edited = Array(edit(String(decoding: with.artifactBytes[header...], as: UTF8.self)).utf8)
            let hash = SHA256.hash(data: edited).map { String(format: "%02x", $0) }.joined()
            #expect {
                try TabularModel(artifact: Array("rehearsal-model/1 sha256=\(hash) bytes=\(edited.count)\n".utf8) + edited)
            } throws: { error in
                "\(error)".contains(problem)
            }
        }
    }

    @Test("a checkpoint that cannot start the training is refused, saying why")
    func refusals() throws {
        let checkpoint = try #require(Self.earlier.checkpoint)
        let fewer = Self.data(periods: 10)
        #expect {
            try TabularTrainer.train(fewer, parameters: Self.parameters, resuming: checkpoint)
        } throws: { error in
            "\(error)".contains("is of \(checkpoint.rows) rows, more than the \(fewer.rowCount) to train on")
        }
        var balanced = Self.parameters
        balanced.balancesLabels = true
        #expect {
            try TabularTrainer.train(Self.data(periods: 30), parameters: balanced, resuming: checkpoint)
        } throws: { error in
            "\(error)".contains("cannot be used with balances_labels")
        }
        #expect(try TabularTrainer.train(Self.data(periods: 20), parameters: balanced, resuming: nil).checkpoint == nil)
        var other = TabularTrainingData(schema: try TabularSchema(numeric: ["age", "income", "visits"]), seriesStep: Panel.step)
        for period in Self.panel.periods.prefix(25) {
            var table = TabularTable(schema: other.schema)
            for row in 0..<period.table.rowCount {
                try table.append(numeric: Array(period.table.numeric[(row * 3)..<(row * 3 + 3)]), categorical: [])
            }
            other.append(table, labels: period.labels, series: period.series)
        }
        #expect {
            try TabularTrainer.train(other, parameters: Self.parameters, resuming: checkpoint)
        } throws: { error in
            "\(error)".contains("the Newton checkpoint is of another schema than the table")
        }
    }

    /// `values` as artifacts store them.
    static func base64(_ values: some Sequence<Double>) -> String {
        Data(values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }).base64EncodedString()
    }
}

import Determinism
import ModelCore
import Testing

@Suite("Tabular training on panel data: rows that move by a series step are summed as runs")
struct TabularSeriesTrainingTests {
    /// Seeded panel data: subjects observed period after period. Age grows by 1 a period (the
    /// step); income never changes; visits sometimes grow (which ends a run); colour sometimes
    /// changes (which ends one too); a few subjects join late. Labels come from a known logistic
    /// model, row by row, so they change within runs.
    struct Panel {
        static let schema = try! TabularSchema(numeric: ["age", "income", "visits"], categorical: ["colour"])
        static let step: [Double] = [1, 0, 0]
        static let colours = ["red", "yellow", "blue"]

        /// Per period: its rows, their labels and their subjects' series ids.
        var periods: [(table: TabularTable, labels: [Bool], series: [Int32])] = []

        init(subjects: Int, periods count: Int, seed: UInt64) throws {
            var random = SplitMix64(seed: seed)
            func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
            var ages = (0..<subjects).map { _ in (18 + 40 * uniform()).rounded() }
            let incomes = (0..<subjects).map { _ in 10_000 + 90_000 * uniform() }
            var visits = [Double](repeating: 0, count: subjects)
            var colours = (0..<subjects).map { _ in random.nextIndex(below: 3) }
            let joins = (0..<subjects).map { _ in uniform() < 0.1 ? random.nextIndex(below: count) : 0 }
            for period in 0..<count {
                var table = TabularTable(schema: Self.schema)
                var labels: [Bool] = [], series: [Int32] = []
                for subject in 0..<subjects where joins[subject] <= period {
                    let logit = -3 + 0.04 * ages[subject] - 0.000_01 * incomes[subject] + 0.3 * visits[subject] + [0.5, 0, -0.5][colours[subject]]
                    try table.append(numeric: [ages[subject], incomes[subject], visits[subject]], categorical: [Self.colours[colours[subject]]])
                    labels.append(uniform() < 1 / (1 + PortableMath.exp(-logit)))
                    series.append(Int32(subject * 7 + 3))
                    ages[subject] += 1
                    if uniform() < 0.15 { visits[subject] += 1 }
                    if uniform() < 0.03 { colours[subject] = random.nextIndex(below: 3) }
                }
                self.periods.append((table, labels, series))
            }
        }

        /// Every row in one table, period after period, with the labels.
        var whole: (table: TabularTable, labels: [Bool]) {
            var table = TabularTable(schema: Self.schema)
            for period in periods { table.append(contentsOf: period.table) }
            return (table, periods.flatMap(\.labels))
        }

        /// The rows as panel data, appended a period at a time.
        var byPeriod: TabularTrainingData {
            var data = TabularTrainingData(schema: Self.schema, seriesStep: Self.step)
            for period in periods { data.append(period.table, labels: period.labels, series: period.series) }
            return data
        }
    }

    static let panel = try! Panel(subjects: 2_500, periods: 30, seed: 11)

    @Test("panel data trains to the optimum of its rows, as the same rows without series do")
    func optimum() throws {
        let parameters = TabularTrainingParameters(l2: 0.001)
        let whole = Self.panel.whole
        let model = try TabularTrainer.train(Self.panel.byPeriod, parameters: parameters)
        let gradient = TabularTrainingTests.objectiveGradient(model, whole.table, whole.labels, parameters)
        #expect(gradient.allSatisfy { abs($0) < 1e-9 }, "largest gradient entry \(gradient.map(abs).max()!)")
        let rows = try TabularTrainer.train(whole.table, labels: whole.labels, parameters: parameters)
        let difference = zip(TabularTrainingTests.bits(model).map(Double.init(bitPattern:)), TabularTrainingTests.bits(rows).map(Double.init(bitPattern:)))
            .map { abs($0 - $1) / Swift.max(1, abs($1)) }.max()!
        #expect(difference < 1e-8, "largest relative difference from the rows' classifier: \(difference)")
    }

    @Test("balanced labels: the optimum of the weighted objective")
    func balanced() throws {
        let parameters = TabularTrainingParameters(l2: 0.0001, balancesLabels: true)
        let whole = Self.panel.whole
        let model = try TabularTrainer.train(Self.panel.byPeriod, parameters: parameters)
        let gradient = TabularTrainingTests.objectiveGradient(model, whole.table, whole.labels, parameters)
        #expect(gradient.allSatisfy { abs($0) < 1e-9 }, "largest gradient entry \(gradient.map(abs).max()!)")
    }

    @Test("the same bits on any number of threads, and whether appended a period at a time or at once")
    func determinism() throws {
        let data = Self.panel.byPeriod
        let one = try TabularTrainer.train(data, threads: 1)
        for threads in [2, 3] {
            #expect(TabularTrainingTests.bits(try TabularTrainer.train(data, threads: threads)) == TabularTrainingTests.bits(one), "\(threads) threads")
        }
        var atOnce = TabularTrainingData(schema: Panel.schema, seriesStep: Panel.step)
        let whole = Self.panel.whole
        atOnce.append(whole.table, labels: whole.labels, series: Self.panel.periods.flatMap(\.series))
        #expect(TabularTrainingTests.bits(try TabularTrainer.train(atOnce)) == TabularTrainingTests.bits(one))
    }

    @Test("rows that never follow the step (every row its own run) still train to the optimum")
    func noRuns() throws {
        // A step no row follows: income would have to grow by 1.
        var data = TabularTrainingData(schema: Panel.schema, seriesStep: [0, 1, 0])
        for period in Self.panel.periods { data.append(period.table, labels: period.labels, series: period.series) }
        let parameters = TabularTrainingParameters(l2: 0.001)
        let whole = Self.panel.whole
        let model = try TabularTrainer.train(data, parameters: parameters)
        let gradient = TabularTrainingTests.objectiveGradient(model, whole.table, whole.labels, parameters)
        #expect(gradient.allSatisfy { abs($0) < 1e-9 }, "largest gradient entry \(gradient.map(abs).max()!)")
    }
}

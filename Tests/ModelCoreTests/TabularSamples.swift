import Determinism
import ModelCore

/// Seeded tables whose labels come from a known logistic model, for the tabular tests.
///
/// Numeric columns are uniform on their ranges; each row's label is `true` with probability
/// σ(bias + Σ coefficient × value + the effect of its colour), drawn with `SplitMix64(seed)`.
struct TabularSample {
    var table: TabularTable
    var labels: [Bool]

    /// The columns and their uniform ranges.
    static let ranges: [(name: String, low: Double, high: Double)] = [
        ("age", 18, 80), ("income", 10_000, 250_000), ("visits", 0, 12),
    ]
    /// The colours of the categorical column "colour", and their effects on the logit.
    static let colourEffects: [(colour: String, effect: Double)] = [("red", 1), ("yellow", 0), ("blue", -1)]

    /// The true model's coefficients per unit of each column, and its bias.
    static let coefficients = [0.03, -0.000_008, 0.25]
    static let bias = -1.2

    /// `rows` rows from `seed`; with `colours`, also the categorical column "colour".
    init(rows: Int, seed: UInt64, colours: Bool = false, shift: Double = 0) throws {
        let schema = try TabularSchema(numeric: Self.ranges.map(\.name), categorical: colours ? ["colour"] : [])
        var random = SplitMix64(seed: seed)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        table = TabularTable(schema: schema)
        table.reserveCapacity(rows)
        labels = []
        var numeric: [Double] = []
        var categories: [String] = []
        for _ in 0..<rows {
            var logit = Self.bias + shift
            for (column, range) in Self.ranges.enumerated() {
                let value = range.low + (range.high - range.low) * uniform()
                numeric.append(value)
                logit += Self.coefficients[column] * value
            }
            if colours {
                let (colour, effect) = Self.colourEffects[random.nextIndex(below: Self.colourEffects.count)]
                categories.append(colour)
                logit += effect
            }
            labels.append(uniform() < 1 / (1 + PortableMath.exp(-logit)))
        }
        try table.append(rows: rows, numeric: numeric, categorical: categories)
    }
}

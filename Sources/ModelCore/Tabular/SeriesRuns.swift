/// The rows of a `TabularTrainingData` grouped into runs along their series, so the trainer
/// sums a run in one go rather than row by row.
///
/// Panel data — one row per customer per week, say — repeats each series (customer) period after
/// period, and while nothing happens to it, its row only moves by a fixed step: a week older,
/// every other value the same. A **run** is a sequence of rows of one series, each equal to the
/// one before plus `step` in every numeric column and with the same buckets: rows
/// `x₀, x₀ + d, x₀ + 2d, …`. Over such rows a logit is `η₀ + j·δ`, and the outer products the
/// Newton sums need collapse to `x₀x₀ᵀ`, `x₀dᵀ` and `ddᵀ` times scalar sums over the run
/// (see `TabularTrainingSet.newtonSums(ofRunChunk:runs:at:layout:)`).
///
/// Runs are numbered in the order their first rows were appended; a run holds at most
/// `maximumLength` rows, its labels as bits, and a copy of its first row, so a pass over the
/// runs reads memory in order.
struct SeriesRuns: Sendable {
    /// The most rows in one run: one bit of `labels` each.
    static let maximumLength = 64

    /// How each numeric column moves from one row of a series to the next within a run.
    let step: [Double]
    /// Categorical columns per row.
    let categoricalColumns: Int
    /// Per run, its first row's numeric values (`step.count` of them), run after run.
    private(set) var values: [Double] = []
    /// Per run, its buckets (`categoricalColumns` of them), run after run.
    private(set) var buckets: [Int32] = []
    /// Per run, how many rows it holds.
    private(set) var lengths: [UInt8] = []
    /// Per run, bit `j` set when its row `j` is labelled `true`.
    private(set) var labels: [UInt64] = []

    /// Per series, its place in the `latest…` arrays (in the order series were first seen).
    private var places: [Int32: Int] = [:]
    /// Per place, its series; and the place of the last row added. Panel rows come period after
    /// period in the same series order, so a row's place is usually the one after the last
    /// row's (or the first): checked here before the dictionary is asked.
    private var placeSeries: [Int32] = []
    private var lastPlace = -1
    /// Per series place, its latest run, and its latest row's numeric values.
    private var latestRuns: [Int] = []
    private var latestValues: [Double] = []

    /// No runs yet, for rows that move by `step` (one value per numeric column) and have
    /// `categoricalColumns` buckets.
    init(step: [Double], categoricalColumns: Int) {
        self.step = step
        self.categoricalColumns = categoricalColumns
    }

    /// How many runs there are.
    var count: Int { lengths.count }

    /// Adds a row of series `series` with numeric values `rowValues` and buckets `rowBuckets`,
    /// labelled `label`: to the series' latest run when it follows that run's last row by `step`
    /// with the same buckets and the run has room, else as a new run.
    mutating func add(series: Int32, values rowValues: UnsafeBufferPointer<Double>, buckets rowBuckets: UnsafeBufferPointer<Int32>, label: Bool) {
        let columns = step.count
        let guess = lastPlace + 1 < placeSeries.count ? lastPlace + 1 : 0
        guard let place = guess < placeSeries.count && placeSeries[guess] == series ? guess : places[series] else {
            places[series] = latestRuns.count
            lastPlace = latestRuns.count
            placeSeries.append(series)
            latestRuns.append(count)
            latestValues.append(contentsOf: rowValues)
            start(values: rowValues, buckets: rowBuckets, label: label)
            return
        }
        lastPlace = place
        let run = latestRuns[place]
        var follows = Int(lengths[run]) < Self.maximumLength
        for column in 0..<columns where rowValues[column] != latestValues[place * columns + column] + step[column] {
            follows = false
        }
        for column in 0..<categoricalColumns where rowBuckets[column] != buckets[run * categoricalColumns + column] {
            follows = false
        }
        for column in 0..<columns { latestValues[place * columns + column] = rowValues[column] }
        if follows {
            if label { labels[run] |= 1 << UInt64(lengths[run]) }
            lengths[run] += 1
        } else {
            latestRuns[place] = count
            start(values: rowValues, buckets: rowBuckets, label: label)
        }
    }

    /// Appends a run of one row.
    private mutating func start(values rowValues: UnsafeBufferPointer<Double>, buckets rowBuckets: UnsafeBufferPointer<Int32>, label: Bool) {
        values.append(contentsOf: rowValues)
        buckets.append(contentsOf: rowBuckets)
        lengths.append(1)
        labels.append(label ? 1 : 0)
    }
}

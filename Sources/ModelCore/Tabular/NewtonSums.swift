import Determinism

extension TabularTrainingSet {
    /// The gradient and Hessian sums (laid out by `layout`) of the weighted log-loss at
    /// `coefficients` (bias, numeric weights, bucket weights), without the L2 terms: each chunk's
    /// sums on some thread, added in chunk order — chunks of rows, or of runs when the rows come
    /// in runs. Chunks are computed in waves so that at most about 32 MiB of their sums (or one
    /// chunk per thread) are held at once; the order of the additions is the same whatever the
    /// waves.
    func newtonSums(at coefficients: [Double], layout: NewtonLayout) -> [Double] {
        let runs = rows.runs
        return sumInWaves(chunks: runs.map(Self.runChunkCount) ?? chunkCount, layout: layout) { chunk in
            if let runs { return self.newtonSums(ofRunChunk: chunk, runs: runs, at: coefficients, layout: layout) }
            return self.newtonSums(ofRows: self.rows(ofChunk: chunk), at: coefficients, layout: layout)
        }
    }

    /// The same sums over the rows from `first` on only (row by row, whether or not the rows
    /// come in runs), in chunks of `chunkRows` rows counted from `first`: what rows appended
    /// after a `NewtonCheckpoint` add to its sums.
    func newtonSums(ofRowsFrom first: Int, at coefficients: [Double], layout: NewtonLayout) -> [Double] {
        let chunks = (rowCount - first + Self.chunkRows - 1) / Self.chunkRows
        return sumInWaves(chunks: chunks, layout: layout) { chunk in
            let start = first + chunk * Self.chunkRows
            return self.newtonSums(ofRows: start..<Swift.min(self.rowCount, start + Self.chunkRows), at: coefficients, layout: layout)
        }
    }

    /// The sum of `chunks` chunks' sums, each computed by `sums` on some thread, added in chunk
    /// order, in waves of at most about 32 MiB of sums (or one chunk per thread).
    private func sumInWaves(chunks: Int, layout: NewtonLayout, _ sums: @escaping @Sendable (Int) -> [Double]) -> [Double] {
        var total = [Double](repeating: 0, count: layout.count)
        let wave = Swift.max(1, threads, (1 << 22) / layout.count)
        for first in stride(from: 0, to: chunks, by: wave) {
            let partials = ParallelWork.map(count: Swift.min(wave, chunks - first), threads: threads, makeState: {}) { index, _ in
                sums(first + index)
            }
            for partial in partials {
                for index in total.indices { total[index] += partial[index] }
            }
        }
        return total
    }

    /// Pairs of rows per block of `newtonSums(ofRows:at:layout:)`.
    private static let blockPairs = 64

    /// The sums of a chunk of rows (`rows`). For a row with logit η, probability μ = σ(η), label
    /// y and loss weight w, the residual `w·(μ − y)` times the features adds to the gradient,
    /// and the curvature `w·μ·(1 − μ)` times their outer product to the Hessian (see
    /// `NewtonLayout`). The logit is computed with the operations and order `TabularClassifier`
    /// uses.
    ///
    /// Rows are taken in pairs, as the two lanes of `SIMD2` values: the dense sums (gradient and
    /// Hessian triangle) accumulate the chunk's even-numbered rows in one lane and its odd ones in
    /// the other, each in row order, and the two lanes are added at the end; a chunk with an odd
    /// number of rows pads its last pair with a row that adds nothing. Which lane a row lands in
    /// depends only on its place in its chunk. For speed, pairs are taken a block at a time and
    /// each dense sum is updated for the whole block while it is in a register — four gradient
    /// sums at once, and eight of the Hessian (two rows by four columns) — with the dense
    /// coefficients padded with zero columns to a multiple of four; that changes no sum's order.
    /// The categorical sums take every row in order.
    private func newtonSums(ofRows rows: Range<Int>, at coefficients: [Double], layout: NewtonLayout) -> [Double] {
        let length = (rows.count + 1) / 2 * 2
        let means = means, inverseScales = inverseScales
        let numericColumns = numericColumns, categoricalColumns = categoricalColumns, bucketsPerColumn = bucketsPerColumn
        let dense = layout.dense, crossStart = layout.crossStart
        let width = (dense + 3) / 4 * 4
        let blockPairs = Self.blockPairs
        // Lanes of the dense gradient and of the Hessian as a width × width square (only its
        // groups of four from the diagonal's on are used); per block, the logits, e^−|η|,
        // residuals and curvatures; a column of ones (the bias's feature) and one of zeros (the
        // padding); and per block, its standardised values, column by column.
        let scratchCount = width + width * width + (6 + numericColumns) * blockPairs
        let scratch = UnsafeMutablePointer<SIMD2<Double>>.allocate(capacity: scratchCount)
        scratch.initialize(repeating: .zero, count: scratchCount)
        let slots = UnsafeMutablePointer<Int>.allocate(capacity: Swift.max(1, categoricalColumns))
        defer {
            scratch.deallocate()
            slots.deallocate()
        }
        let gradientLanes = scratch, hessianLanes = scratch + width
        let logits = hessianLanes + width * width, smalls = logits + blockPairs
        let residuals = smalls + blockPairs, curvatures = residuals + blockPairs
        let ones = curvatures + blockPairs, zeros = ones + blockPairs, standardised = zeros + blockPairs
        ones.update(repeating: SIMD2(repeating: 1), count: blockPairs)

        var sums = [Double](repeating: 0, count: layout.count)
        sums.withUnsafeMutableBufferPointer { sums in
            self.rows.columns.withValues { numeric in
                self.rows.buckets.withUnsafeBufferPointer { rowBuckets in
                    self.rows.labels.withUnsafeBufferPointer { labels in
                        coefficients.withUnsafeBufferPointer { theta in
                            for blockStart in stride(from: 0, to: length / 2, by: blockPairs) {
                                let pairs = Swift.min(blockPairs, length / 2 &- blockStart)
                                let firstRow = rows.lowerBound &+ 2 &* blockStart
                                /// Dense feature `index`'s values for this block's pairs.
                                func column(_ index: Int) -> UnsafePointer<SIMD2<Double>> {
                                    if index == 0 { return UnsafePointer(ones) }
                                    if index > numericColumns { return UnsafePointer(zeros) }
                                    return UnsafePointer(standardised + (index &- 1) &* blockPairs)
                                }
                                /// The coefficient index of row `row`'s bucket in categorical column `column`.
                                func slot(row: Int, column: Int) -> Int {
                                    dense &+ column &* bucketsPerColumn &+ Int(rowBuckets[row &* categoricalColumns &+ column])
                                }
                                // 1. The standardised values, then the logits: the bias, the numeric
                                //    terms column by column, then the buckets' weights.
                                // (A last, odd row is paired with itself; its weight is 0.)
                                let fullPairs = Swift.min(pairs, (rows.upperBound &- firstRow) / 2)
                                for column in 0..<numericColumns {
                                    let out = standardised + column &* blockPairs
                                    let mean = means[column], inverseScale = inverseScales[column]
                                    switch numeric[column] {
                                    case .wholes(let raw):
                                        for pair in 0..<fullPairs {
                                            let even = firstRow &+ 2 &* pair
                                            out[pair] = (SIMD2(Double(raw[even]), Double(raw[even &+ 1])) - mean) * inverseScale
                                        }
                                    case .doubles(let raw):
                                        for pair in 0..<fullPairs {
                                            let even = firstRow &+ 2 &* pair
                                            out[pair] = (SIMD2(raw[even], raw[even &+ 1]) - mean) * inverseScale
                                        }
                                    }
                                    if fullPairs < pairs {
                                        let last = firstRow &+ 2 &* fullPairs
                                        out[fullPairs] = (SIMD2(repeating: numeric[column][last]) - mean) * inverseScale
                                    }
                                }
                                for pair in 0..<pairs { logits[pair] = SIMD2(repeating: theta[0]) }
                                for index in 1..<dense {
                                    let weight = theta[index], feature = column(index)
                                    for pair in 0..<pairs { logits[pair] += weight * feature[pair] }
                                }
                                if categoricalColumns > 0 {
                                    for pair in 0..<pairs {
                                        var logit = logits[pair]
                                        for lane in 0..<Swift.min(2, rows.upperBound &- (firstRow &+ 2 &* pair)) {
                                            for column in 0..<categoricalColumns { logit[lane] += theta[slot(row: firstRow &+ 2 &* pair &+ lane, column: column)] }
                                        }
                                        logits[pair] = logit
                                    }
                                }
                                // 2. e^−|η| for every row of the block, then the rest of the logistic
                                //    (as `Logistic` computes it), residuals and curvatures, two rows at a time.
                                for pair in 0..<pairs {
                                    let logit = logits[pair]
                                    smalls[pair] = PortableMath.exp(-logit.replacing(with: -logit, where: logit .< 0))
                                }
                                for pair in 0..<pairs {
                                    let row = firstRow &+ 2 &* pair
                                    let small = smalls[pair]
                                    let large = 1 / (1 + small)
                                    let scaled = small * large
                                    let nonNegative = logits[pair] .>= 0
                                    let positive = scaled.replacing(with: large, where: nonNegative)
                                    let negative = large.replacing(with: scaled, where: nonNegative)
                                    let even = labels[row]
                                    let odd = row &+ 1 < rows.upperBound ? labels[row &+ 1] : false
                                    // A padding row weighs 0, so it adds nothing.
                                    let weights = SIMD2(even ? positiveWeight : negativeWeight,
                                                        row &+ 1 < rows.upperBound ? (odd ? positiveWeight : negativeWeight) : 0)
                                    residuals[pair] = weights * SIMD2(even ? -negative[0] : positive[0], odd ? -negative[1] : positive[1])
                                    curvatures[pair] = weights * (positive * negative)
                                }
                                // 3. The categorical sums, row by row.
                                if categoricalColumns > 0 {
                                    for pair in 0..<pairs {
                                        let residual = residuals[pair], curvature = curvatures[pair]
                                        for lane in 0..<Swift.min(2, rows.upperBound &- (firstRow &+ 2 &* pair)) {
                                            let row = firstRow &+ 2 &* pair &+ lane
                                            for column in 0..<categoricalColumns { slots[column] = slot(row: row, column: column) }
                                            for column in 0..<categoricalColumns {
                                                let slot = slots[column]
                                                sums[slot] += residual[lane]
                                                let cross = crossStart &+ (slot &- dense) &* dense
                                                sums[cross] += curvature[lane]
                                                for index in 1..<dense {
                                                    sums[cross &+ index] += curvature[lane] * standardised[(index &- 1) &* blockPairs &+ pair][lane]
                                                }
                                                let bucket = slot &- dense &- column &* bucketsPerColumn
                                                for other in (column &+ 1)..<categoricalColumns {
                                                    let otherBucket = slots[other] &- dense &- other &* bucketsPerColumn
                                                    sums[layout.pairStart(column, other) &+ bucket &* bucketsPerColumn &+ otherBucket] += curvature[lane]
                                                }
                                            }
                                        }
                                    }
                                }
                                // 4. The dense sums.
                                for group in stride(from: 0, to: width, by: 4) {
                                    Self.accumulate(into: gradientLanes + group, pairs: pairs, columns: column(group), column(group &+ 1), column(group &+ 2), column(group &+ 3)) {
                                        residuals[$0]
                                    }
                                }
                                // Two rows of the square at once, sharing the columns' loads (the second
                                // may be a padding row, whose feature is zero).
                                for first in stride(from: 0, to: dense, by: 2) {
                                    let upper = column(first), lower = column(first &+ 1)
                                    for group in stride(from: first / 4 * 4, to: width, by: 4) {
                                        Self.accumulateTwo(into: hessianLanes + (first &* width &+ group), hessianLanes + ((first &+ 1) &* width &+ group), pairs: pairs,
                                                           columns: column(group), column(group &+ 1), column(group &+ 2), column(group &+ 3),
                                                           factors: { curvatures[$0] * upper[$0] }, { curvatures[$0] * lower[$0] })
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for index in 0..<dense { sums[index] = gradientLanes[index][0] + gradientLanes[index][1] }
            var position = layout.denseStart
            for first in 0..<dense {
                for second in first..<dense {
                    let lanes = hessianLanes[first * width + second]
                    sums[position] = lanes[0] + lanes[1]
                    position += 1
                }
            }
        }
        return sums
    }

    /// `accumulate` into two rows of lanes, with a factor each, over the same four columns.
    @inline(__always)
    private static func accumulateTwo(
        into upperLanes: UnsafeMutablePointer<SIMD2<Double>>, _ lowerLanes: UnsafeMutablePointer<SIMD2<Double>>, pairs: Int,
        columns first: UnsafePointer<SIMD2<Double>>, _ second: UnsafePointer<SIMD2<Double>>,
        _ third: UnsafePointer<SIMD2<Double>>, _ fourth: UnsafePointer<SIMD2<Double>>,
        factors upperFactor: (Int) -> SIMD2<Double>, _ lowerFactor: (Int) -> SIMD2<Double>
    ) {
        var a = upperLanes[0], b = upperLanes[1], c = upperLanes[2], d = upperLanes[3]
        var e = lowerLanes[0], f = lowerLanes[1], g = lowerLanes[2], h = lowerLanes[3]
        for pair in 0..<pairs {
            let upper = upperFactor(pair), lower = lowerFactor(pair)
            let one = first[pair], two = second[pair], three = third[pair], four = fourth[pair]
            a += upper * one
            b += upper * two
            c += upper * three
            d += upper * four
            e += lower * one
            f += lower * two
            g += lower * three
            h += lower * four
        }
        upperLanes[0] = a
        upperLanes[1] = b
        upperLanes[2] = c
        upperLanes[3] = d
        lowerLanes[0] = e
        lowerLanes[1] = f
        lowerLanes[2] = g
        lowerLanes[3] = h
    }

    /// `lanes[i] += factor(p) × columns[i][p]` for the four lanes and every pair `p` in order.
    @inline(__always)
    private static func accumulate(
        into lanes: UnsafeMutablePointer<SIMD2<Double>>, pairs: Int,
        columns first: UnsafePointer<SIMD2<Double>>, _ second: UnsafePointer<SIMD2<Double>>,
        _ third: UnsafePointer<SIMD2<Double>>, _ fourth: UnsafePointer<SIMD2<Double>>,
        factor: (Int) -> SIMD2<Double>
    ) {
        var a = lanes[0], b = lanes[1], c = lanes[2], d = lanes[3]
        for pair in 0..<pairs {
            let scale = factor(pair)
            a += scale * first[pair]
            b += scale * second[pair]
            c += scale * third[pair]
            d += scale * fourth[pair]
        }
        lanes[0] = a
        lanes[1] = b
        lanes[2] = c
        lanes[3] = d
    }
}

import Determinism

extension TabularTrainingSet {
    /// Runs per chunk, when the rows come in runs (`SeriesRuns`).
    static let chunkRuns = 4_096

    /// How many chunks of `chunkRuns` runs there are.
    static func runChunkCount(_ runs: SeriesRuns) -> Int { (runs.count + chunkRuns - 1) / chunkRuns }

    /// Runs per block of `newtonSums(ofRunChunk:runs:at:layout:)`.
    private static let blockRuns = 64

    /// The largest |logit| at which a run's rows take their odds from its first row's (below):
    /// e^±500 and its products over a run stay far from overflow and underflow (and so does
    /// `e^δ`, unless δ itself is out of range, when it is not used).
    private static let largestRecurrentLogit = 500.0

    /// One chunk of runs' sums, laid out as `newtonSums(ofRows:at:layout:)` lays out a chunk of
    /// rows'; the same sums, rounded differently.
    ///
    /// A run's rows are `v₀ + j·ê` (`v` the dense features — the bias's 1, then the standardised
    /// values — and `ê` the standardised step, 0 for the bias) for `j` from 0, with one bucket per
    /// categorical column throughout; their logits are `η₀ + j·δ` with `δ = θ·ê`. With each row's
    /// residual `rⱼ` and curvature `hⱼ` (as for rows), the run adds
    /// - to the dense gradient `v₀·Σrⱼ + ê·Σj·rⱼ`;
    /// - to the dense Hessian `v₀v₀ᵀ·Σhⱼ + (v₀êᵀ + êv₀ᵀ)·Σj·hⱼ + êêᵀ·Σj²·hⱼ`;
    /// - per bucket it touches, `Σrⱼ` to its gradient, `v₀·Σhⱼ + ê·Σj·hⱼ` to its cross sums and
    ///   `Σhⱼ` to each pair of buckets.
    ///
    /// The terms in `ê` are the same for every run, so the chunk sums their scalars (`Σj·rⱼ`,
    /// `Σj²·hⱼ`) and `v₀·Σj·hⱼ` over its runs and multiplies by `ê` once at the end. Within a run,
    /// a row's odds are the previous row's times `e^δ` (`e^η₀` for the first), so a row costs a
    /// multiplication and a division rather than an exponential: `μ = odds / (1 + odds)` and
    /// `1 − μ = 1 / (1 + odds)`, each accurate in its own tail. A run whose logits reach beyond
    /// ±`largestRecurrentLogit` takes each row's from `Logistic` instead. Runs are taken a block
    /// at a time — their features and first logits, then the exponentials of those two at a
    /// time (as `SIMD2` lanes), then each run's sums over its rows in order — and the block's
    /// dense gradient and Hessian terms are dot products over its runs (`dot`), added to the
    /// chunk's block by block.
    func newtonSums(ofRunChunk chunk: Int, runs: SeriesRuns, at theta: [Double], layout: NewtonLayout) -> [Double] {
        let dense = layout.dense, crossStart = layout.crossStart, bucketsPerColumn = layout.buckets
        let categorical = categoricalColumns, numericColumns = numericColumns
        let means = means, inverseScales = inverseScales
        let positiveWeight = positiveWeight, negativeWeight = negativeWeight
        var step = [Double](repeating: 0, count: dense)
        for column in 0..<numericColumns { step[1 + column] = runs.step[column] * inverseScales[column] }
        var delta = 0.0
        for index in 1..<dense { delta += theta[index] * step[index] }
        let growth = PortableMath.exp(delta)

        var sums = [Double](repeating: 0, count: layout.count)
        // The dense Hessian's upper triangle and gradient; per dense coefficient, the runs'
        // v₀·Σj·hⱼ; the block's first-row features, coefficient by coefficient (run after run
        // within each); per run of the block, its Σrⱼ, Σhⱼ and Σj·hⱼ, and a row of products; per
        // categorical column its bucket's coefficient; per pair of runs, their first logits,
        // then e to those.
        let blockRuns = Self.blockRuns
        let triangleCount = dense * (dense + 1) / 2
        let scratchCount = triangleCount + 2 * dense + blockRuns * dense + 4 * blockRuns
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: scratchCount)
        scratch.initialize(repeating: 0, count: scratchCount)
        let slots = UnsafeMutablePointer<Int>.allocate(capacity: Swift.max(1, blockRuns * categorical))
        let logitPairs = UnsafeMutablePointer<SIMD2<Double>>.allocate(capacity: blockRuns)
        logitPairs.initialize(repeating: .zero, count: blockRuns)
        defer {
            scratch.deallocate()
            slots.deallocate()
            logitPairs.deallocate()
        }
        let triangle = scratch, gradient = triangle + triangleCount, stepCurvatures = gradient + dense
        let blockFeatures = stepCurvatures + dense
        let residuals = blockFeatures + blockRuns * dense, curvatures = residuals + blockRuns
        let stepCurvaturesOfRuns = curvatures + blockRuns, products = stepCurvaturesOfRuns + blockRuns
        let oddsPairs = logitPairs + blockRuns / 2
        var stepResidual = 0.0, squaredStepCurvature = 0.0  // Σ over runs of Σj·rⱼ and Σj²·hⱼ
        let runRange = chunk * Self.chunkRuns..<Swift.min(runs.count, (chunk + 1) * Self.chunkRuns)
        sums.withUnsafeMutableBufferPointer { sums in
            runs.values.withUnsafeBufferPointer { runValues in
                runs.buckets.withUnsafeBufferPointer { runBuckets in
                    runs.lengths.withUnsafeBufferPointer { lengths in
                        runs.labels.withUnsafeBufferPointer { runLabels in
                            theta.withUnsafeBufferPointer { theta in
                                for blockStart in stride(from: runRange.lowerBound, to: runRange.upperBound, by: blockRuns) {
                                    let block = blockStart..<Swift.min(runRange.upperBound, blockStart &+ blockRuns)
                                    let count = block.count
                                    // 1. Each run's first row's features and logit, in `TabularClassifier`'s order.
                                    for run in block {
                                        let local = run &- blockStart
                                        let values = runValues.baseAddress! + run &* numericColumns
                                        let buckets = runBuckets.baseAddress! + run &* categorical
                                        blockFeatures[local] = 1
                                        var firstLogit = theta[0]
                                        for column in 0..<numericColumns {
                                            let feature = (values[column] - means[column]) * inverseScales[column]
                                            blockFeatures[(1 &+ column) &* blockRuns &+ local] = feature
                                            firstLogit += theta[1 &+ column] * feature
                                        }
                                        for column in 0..<categorical {
                                            let slot = dense &+ column &* bucketsPerColumn &+ Int(buckets[column])
                                            slots[local &* categorical &+ column] = slot
                                            firstLogit += theta[slot]
                                        }
                                        logitPairs[local >> 1][local & 1] = firstLogit
                                    }
                                    // 2. Their exponentials.
                                    for pair in 0..<(count &+ 1) / 2 { oddsPairs[pair] = PortableMath.exp(logitPairs[pair]) }
                                    // 3. Each run's sums over its rows.
                                    for run in block {
                                        let local = run &- blockStart
                                        let length = Int(lengths[run]), labels = runLabels[run]
                                        let firstLogit = logitPairs[local >> 1][local & 1]
                                        var residual = 0.0, stepResidualOfRun = 0.0
                                        var curvature = 0.0, stepCurvature = 0.0, squaredStep = 0.0
                                        let lastLogit = firstLogit + Double(length &- 1) * delta
                                        let recurrent = Swift.max(abs(firstLogit), abs(lastLogit)) <= Self.largestRecurrentLogit && growth.isFinite
                                        var odds = oddsPairs[local >> 1][local & 1]
                                        for offset in 0..<length {
                                            let position = Double(offset)
                                            let positive: Double, negative: Double
                                            if recurrent {
                                                if offset > 0 { odds *= growth }
                                                negative = 1 / (1 + odds)
                                                positive = odds * negative
                                            } else {
                                                (positive, negative) = Logistic.probabilities(logit: firstLogit + position * delta)
                                            }
                                            let bought = labels >> UInt64(offset) & 1 == 1
                                            let weight = bought ? positiveWeight : negativeWeight
                                            let rowResidual = weight * (bought ? -negative : positive)
                                            let rowCurvature = weight * (positive * negative)
                                            residual += rowResidual
                                            stepResidualOfRun += position * rowResidual
                                            curvature += rowCurvature
                                            stepCurvature += position * rowCurvature
                                            squaredStep += position * position * rowCurvature
                                        }
                                        stepResidual += stepResidualOfRun
                                        squaredStepCurvature += squaredStep
                                        residuals[local] = residual
                                        curvatures[local] = curvature
                                        stepCurvaturesOfRuns[local] = stepCurvature
                                        // The buckets' sums, run by run.
                                        for column in 0..<categorical {
                                            let slot = slots[local &* categorical &+ column]
                                            sums[slot] += residual
                                            let cross = crossStart &+ (slot &- dense) &* dense
                                            for index in 0..<dense {
                                                sums[cross &+ index] += blockFeatures[index &* blockRuns &+ local] * curvature + step[index] * stepCurvature
                                            }
                                            let bucket = slot &- dense &- column &* bucketsPerColumn
                                            for other in (column &+ 1)..<categorical {
                                                let otherBucket = slots[local &* categorical &+ other] &- dense &- other &* bucketsPerColumn
                                                sums[layout.pairStart(column, other) &+ bucket &* bucketsPerColumn &+ otherBucket] += curvature
                                            }
                                        }
                                    }
                                    // 4. The block's dense sums, each a dot product over its runs.
                                    for upper in 0..<dense {
                                        let features = blockFeatures + upper &* blockRuns
                                        gradient[upper] += Self.dot(features, residuals, count: count)
                                        stepCurvatures[upper] += Self.dot(features, stepCurvaturesOfRuns, count: count)
                                        for local in 0..<count { products[local] = features[local] * curvatures[local] }
                                        let position = upper &* dense &- upper &* (upper &- 1) / 2
                                        for lower in upper..<dense {
                                            triangle[position &+ lower &- upper] += Self.dot(products, blockFeatures + lower &* blockRuns, count: count)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for upper in 0..<dense { sums[upper] += gradient[upper] }
        // The terms in ê, once for the chunk.
        var position = layout.denseStart
        var index = 0
        for upper in 0..<dense {
            sums[upper] += step[upper] * stepResidual
            for lower in upper..<dense {
                sums[position] = triangle[index] + step[lower] * stepCurvatures[upper] + step[upper] * stepCurvatures[lower]
                    + step[upper] * step[lower] * squaredStepCurvature
                position += 1
                index += 1
            }
        }
        return sums
    }

    /// `Σ a[i]·b[i]` for `i` below `count`, in a fixed order: four running sums over the
    /// indices modulo 4 (in two `SIMD2` lanes), added as (0 + 2) + (1 + 3), then the rest in order.
    @inline(__always)
    private static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Double {
        var low = SIMD2<Double>.zero, high = SIMD2<Double>.zero
        var index = 0
        while index &+ 4 <= count {
            low += SIMD2(a[index], a[index &+ 1]) * SIMD2(b[index], b[index &+ 1])
            high += SIMD2(a[index &+ 2], a[index &+ 3]) * SIMD2(b[index &+ 2], b[index &+ 3])
            index &+= 4
        }
        let pairs = low + high
        var sum = pairs[0] + pairs[1]
        while index < count {
            sum += a[index] * b[index]
            index &+= 1
        }
        return sum
    }
}

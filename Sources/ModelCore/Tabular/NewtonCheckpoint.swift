/// Where a training's Newton's method last summed over its rows: the coefficients there and the
/// gradient and Hessian sums at them (without the L2 terms), in that training's standardisation.
///
/// A training on the same rows plus new ones, appended after them (a weekly retrain on a growing
/// window), can start from a checkpoint rather than from a warm start (`TabularTrainer`): the old
/// rows' sums at its coefficients are already here, so its first Newton step sums only the new
/// rows, instead of every row. Each later step sums every row as usual, and the stopping rule is
/// the same, so the result is the same optimum to within the trainer's tolerance.
///
/// Only trainings with unweighted rows make one (`balancesLabels` off): balanced loss weights
/// depend on every row's label, so adding rows changes the old rows' weights.
public struct NewtonCheckpoint: Sendable, Equatable {
    /// How many rows the sums are over: the first rows of any training that resumes from it.
    public let rows: Int
    /// Per numeric column, the mean and the scale of the standardisation the coefficients and
    /// sums are in.
    public let means: [Double]
    public let scales: [Double]
    /// The bias, the numeric weights and the bucket weights at which the rows were summed.
    public let coefficients: [Double]
    /// The sums there, laid out as `NewtonLayout` says.
    public let sums: [Double]

    /// A checkpoint from its parts; `TabularArtifactFormat` checks parts read from a file.
    init(rows: Int, means: [Double], scales: [Double], coefficients: [Double], sums: [Double]) {
        self.rows = rows
        self.means = means
        self.scales = scales
        self.coefficients = coefficients
        self.sums = sums
    }

    /// The coefficients, and the sums, in the standardisation of `means` and `scales` (of a
    /// training set that holds these rows and more): the same function of the raw values, and
    /// the same sums of the rows' features.
    ///
    /// A standardised value moves as `z′ = a·z + b`, with `a = s / s′` and `b = (m − m′) / s′`,
    /// so the dense features `v = (1, z₁, …, zₙ)` move as `v′ = M·v` (`M` the identity but for
    /// `aᵢ` on its diagonal and `bᵢ` in its first column). The dense gradient and each bucket's
    /// cross sums (sums of `r·v` and `h·v`) become `M·g`, the dense Hessian `M·H·Mᵀ`; the bucket
    /// gradients and the sums between buckets do not move. The coefficients keep each row's
    /// logit: `wᵢ′ = wᵢ / aᵢ`, and the bias less `Σ wᵢ′·bᵢ`.
    func restandardised(means newMeans: [Double], scales newScales: [Double], layout: NewtonLayout)
        -> (coefficients: [Double], sums: [Double]) {
        let dense = layout.dense
        var factor = [Double](repeating: 1, count: dense), offset = [Double](repeating: 0, count: dense)
        for column in 0..<means.count {
            factor[1 + column] = scales[column] / newScales[column]
            offset[1 + column] = (means[column] - newMeans[column]) / newScales[column]
        }
        /// `M·x` for the dense vector at `start` of `values`, in place.
        func transform(_ values: inout [Double], at start: Int) {
            let first = values[start]
            for index in 1..<dense { values[start + index] = factor[index] * values[start + index] + offset[index] * first }
        }
        var sums = sums
        transform(&sums, at: 0)
        for bucket in 0..<(layout.categorical * layout.buckets) { transform(&sums, at: layout.crossStart + bucket * dense) }
        // The Hessian's upper triangle, as a square: (M·H)[i][l] = aᵢ·H[i][l] + bᵢ·H[0][l],
        // then (M·H·Mᵀ)[i][k] = (M·H)[i][k]·aₖ + (M·H)[i][0]·bₖ.
        var square = [Double](repeating: 0, count: dense * dense)
        var position = layout.denseStart
        for upper in 0..<dense {
            for lower in upper..<dense {
                square[upper * dense + lower] = sums[position]
                square[lower * dense + upper] = sums[position]
                position += 1
            }
        }
        var left = square
        for row in 1..<dense {
            for column in 0..<dense { left[row * dense + column] = factor[row] * square[row * dense + column] + offset[row] * square[column] }
        }
        position = layout.denseStart
        for upper in 0..<dense {
            for lower in upper..<dense {
                sums[position] = left[upper * dense + lower] * factor[lower] + left[upper * dense] * offset[lower]
                position += 1
            }
        }
        var coefficients = coefficients
        for index in 1..<dense {
            coefficients[index] /= factor[index]
            coefficients[0] -= coefficients[index] * offset[index]
        }
        return (coefficients, sums)
    }
}

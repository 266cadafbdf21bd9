/// Solves a symmetric positive-definite linear system by Cholesky factorisation, `A = L·Lᵀ`,
/// every loop in a fixed order (and square roots correctly rounded), so the same system gives
/// the same bits everywhere.
enum CholeskySolver {
    /// `x` with `A·x = b`, where `lower` holds A's lower triangle row by row in a `size × size`
    /// array (entries above the diagonal are not read); nil if A is not positive definite.
    static func solve(lower: [Double], size: Int, _ b: [Double]) -> [Double]? {
        var factor = lower
        var x = b
        let solved: Bool = factor.withUnsafeMutableBufferPointer { l in
            for row in 0..<size {
                for column in 0...row {
                    var sum = l[row * size + column]
                    for k in 0..<column { sum -= l[row * size + k] * l[column * size + k] }
                    if row == column {
                        guard sum > 0 else { return false }
                        l[row * size + row] = sum.squareRoot()
                    } else {
                        l[row * size + column] = sum / l[column * size + column]
                    }
                }
            }
            // L·y = b, then Lᵀ·x = y.
            for row in 0..<size {
                var sum = x[row]
                for k in 0..<row { sum -= l[row * size + k] * x[k] }
                x[row] = sum / l[row * size + row]
            }
            for row in stride(from: size - 1, through: 0, by: -1) {
                var sum = x[row]
                for k in (row + 1)..<size { sum -= l[k * size + row] * x[k] }
                x[row] = sum / l[row * size + row]
            }
            return true
        }
        return solved ? x : nil
    }
}

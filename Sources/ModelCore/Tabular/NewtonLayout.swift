/// Where the sums of one Newton pass over rows live in a flat array, for a model whose
/// coefficients are the bias, the numeric weights, then `categorical` columns of `buckets` weights.
///
/// A row's features are the dense vector `v = (1, z₁, …, zₙ)` (the bias's 1, then the standardised
/// numeric values) plus exactly one bucket per categorical column (a one-hot 1). So the Hessian
/// needs only, per row with curvature `h`:
/// - the dense block `h·v·vᵀ`, upper triangle only;
/// - per touched bucket, `h·v` (its column against the dense coefficients; its first entry, `h`,
///   is also the bucket's own diagonal entry, since one-hot squared is one-hot);
/// - per pair of categorical columns, `h` at the pair of buckets touched.
/// Entries between two buckets of one column are always 0. The gradient comes first.
struct NewtonLayout: Sendable {
    /// Dense coefficients: the bias and one per numeric column.
    let dense: Int
    /// Categorical columns.
    let categorical: Int
    /// Buckets per categorical column.
    let buckets: Int

    /// Every coefficient: the size of the gradient and of the Newton system.
    var coefficients: Int { dense + categorical * buckets }

    /// The dense block's upper triangle, row by row (`(0,0), (0,1), …, (1,1), …`).
    var denseStart: Int { coefficients }

    /// Per bucket (`column × buckets + bucket`), `dense` sums of `h·v`.
    var crossStart: Int { denseStart + dense * (dense + 1) / 2 }

    /// Per pair of categorical columns `k < l`, in order, a `buckets × buckets` table of `h`.
    var pairsStart: Int { crossStart + categorical * buckets * dense }

    /// How many sums there are.
    var count: Int { pairsStart + categorical * (categorical - 1) / 2 * buckets * buckets }

    /// Where the table of the pair of categorical columns `first < second` starts.
    @inline(__always)
    func pairStart(_ first: Int, _ second: Int) -> Int {
        let pairsBefore = first * categorical - first * (first + 1) / 2 + (second - first - 1)
        return pairsStart + pairsBefore * buckets * buckets
    }
}

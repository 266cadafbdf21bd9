import Determinism

/// A week's campaign: the customers with the highest scores, best first.
///
/// Ranking is by score, highest first, then by customer id, lowest first, so equal scores
/// never make the selection depend on anything but the data.
struct Campaign: Equatable {
    /// The chosen customers, best first.
    let customers: [Int32]
    /// Their scores, in the same order.
    let scores: [Double]

    /// The top `size` of `snapshot`'s customers by `scores` (one per customer, in snapshot order).
    ///
    /// Rather than sorting every customer each week, `KthHighest` finds the `size`-th highest
    /// score; only the customers scoring at least that — `size` of them, and any tied with the
    /// last — are then ranked. The ranking is a strict total order (customer ids are distinct),
    /// so the choice is the same whatever the method.
    init(size: Int, snapshot: WeekSnapshot, scores: [Double]) {
        let candidates = snapshot.customers
        func ranksBefore(_ lhs: Int, _ rhs: Int) -> Bool {
            scores[lhs] != scores[rhs] ? scores[lhs] > scores[rhs] : candidates[lhs] < candidates[rhs]
        }
        let size = max(0, size)
        let ranked: [Int]
        if size == 0 {
            ranked = []
        } else if size < candidates.count {
            let threshold = KthHighest.of(scores, count: size)
            ranked = candidates.indices.filter { scores[$0] >= threshold }
        } else {
            ranked = Array(candidates.indices)
        }
        let order = ranked.sorted(by: ranksBefore).prefix(size)
        customers = order.map { candidates[$0] }
        self.scores = order.map { scores[$0] }
    }

    /// A campaign read back from its object.
    init(customers: [Int32], scores: [Double]) {
        self.customers = customers
        self.scores = scores
    }

    /// How many of the chosen customers are in `buyers` (ascending).
    func hits(among buyers: [Int32]) -> Int {
        customers.reduce(0) { $0 + (Self.contains(buyers, $1) ? 1 : 0) }
    }

    /// Whether ascending `values` holds `value`.
    static func contains(_ values: [Int32], _ value: Int32) -> Bool {
        var low = 0, high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < values.count && values[low] == value
    }
}

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
    init(size: Int, snapshot: WeekSnapshot, scores: [Double]) {
        let order = snapshot.customers.indices.sorted { lhs, rhs in
            scores[lhs] != scores[rhs] ? scores[lhs] > scores[rhs] : snapshot.customers[lhs] < snapshot.customers[rhs]
        }.prefix(size)
        customers = order.map { snapshot.customers[$0] }
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

import ModelCore

/// Every eligible customer of a week — one whose first purchase came before the week — with
/// their features as of the week's first day, in ascending customer order.
public struct WeekSnapshot: Sendable {
    /// The week.
    public let week: Int
    /// The eligible customers, ascending.
    public let customers: [Int32]
    /// One row of `CustomerFeatures` per customer, in the same order.
    public let features: TabularTable
    /// The recency heuristic's score per customer: most recent purchase first, then more
    /// purchase days first (`-recency_days + frequency / 10⁶`, frequency capped below 10⁶).
    public let recencyScores: [Double]

    /// The number of eligible customers.
    public var count: Int { customers.count }

    /// Whether each customer, in order, is one of `buyers` (ascending): one pass over both.
    func bought(_ buyers: [Int32]) -> [Bool] {
        var next = 0
        return customers.map { customer in
            while next < buyers.count, buyers[next] < customer { next += 1 }
            return next < buyers.count && buyers[next] == customer
        }
    }
}

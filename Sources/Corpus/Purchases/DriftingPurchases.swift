import Determinism

/// A seeded purchase log whose buyers change at a known week: data with a known answer, for
/// checking that a retraining rule notices drift.
///
/// Each customer has a fixed basket size (1–6 CDs, about $12 each) and makes a first purchase
/// in weeks 0–4. From then on, each week, a customer buys with a probability that depends only
/// on the basket: before `driftWeek`, big baskets (4–6 CDs) buy with probability 0.14 and small
/// ones with 0.02; from `driftWeek` on, the other way round. A model trained before the drift
/// learns "big baskets buy", so its campaigns miss after it until it is retrained on recent
/// weeks. The same settings give the same purchases, in day and customer order.
public struct DriftingPurchases: Sendable, Equatable {
    /// Seeds every random choice.
    public var seed: UInt64 = 1
    /// How many customers.
    public var customers: Int = 3_000
    /// Purchases are made in weeks 0 to this.
    public var weeks: Int = 30
    /// The first week of the new buying pattern.
    public var driftWeek: Int = 16
    /// The day (since 1970-01-01) week 1 starts on; week 0 is the 7 days before it.
    public var firstMonday: Int32

    /// The most customers and weeks a generator makes (its purchases are held in memory: at
    /// these bounds, some 10 million).
    public static let maximumCustomers = 200_000, maximumWeeks = 520

    /// The weekly buying probability of a big or a small basket before and after the drift.
    static let likely = 0.14, unlikely = 0.02

    /// A generator with the defaults, its weeks counted from `firstMonday`.
    public init(firstMonday: Int32) { self.firstMonday = firstMonday }

    /// The purchases, sorted by day, then customer.
    public func purchases() -> [Purchase] {
        var random = SplitMix64(seed: seed)
        var purchases: [Purchase] = []
        for customer in 1...max(customers, 1) {
            let basket = Int32(1 + random.nextIndex(below: 6))
            let centsPerCD = Int64(900 + random.nextIndex(below: 601))
            let firstWeek = random.nextIndex(below: 5)
            for week in firstWeek...max(weeks, firstWeek) {
                if week > firstWeek {
                    let big = basket >= 4
                    let probability = (week < driftWeek) == big ? Self.likely : Self.unlikely
                    guard Self.uniform(&random) < probability else { continue }
                }
                let day = firstMonday + Int32(7 * (week - 1) + random.nextIndex(below: 7))
                purchases.append(Purchase(customer: Int32(customer), day: day, cds: basket, cents: Int64(basket) * centsPerCD))
            }
        }
        return purchases.sorted { ($0.day, $0.customer) < ($1.day, $1.customer) }
    }

    /// A uniform draw in [0, 1) from the top 53 bits.
    private static func uniform(_ random: inout SplitMix64) -> Double {
        Double(random.next() >> 11) * 0x1p-53
    }
}

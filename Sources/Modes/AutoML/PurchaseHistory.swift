import ModelCore

/// The purchases of every week delivered so far, and what the loop derives from them: each
/// week's snapshot of eligible customers and features, and each week's buyers.
///
/// Weeks may be delivered in any order (a late export), but a snapshot of week `t` needs every
/// week from 0 to `t - 1`. Derived data is cached; delivering a week again with other content
/// drops what was derived from it.
struct PurchaseHistory {
    let calendar: CampaignCalendar
    private var weeks: [Int: [PurchaseRecord]] = [:]
    private var snapshots: [Int: WeekSnapshot] = [:]
    private var buyerSets: [Int: [Int32]] = [:]
    /// The run of labelled weeks last asked for, kept to be extended.
    private var labelledRun: LabelledWeeks?

    /// A week whose snapshot or buyers are missing (its purchases, or a week's before it, are
    /// not delivered).
    struct MissingWeek: Error {
        let week: Int
    }

    init(calendar: CampaignCalendar) { self.calendar = calendar }

    /// Whether `week`'s purchases are here.
    func has(week: Int) -> Bool { weeks[week] != nil }

    /// Stores `week`'s purchases (sorted by day, then customer); replacing different content
    /// drops every snapshot and buyer set derived from it.
    mutating func deliver(week: Int, purchases: [PurchaseRecord]) {
        let sorted = purchases.enumerated().sorted { ($0.element.day, $0.element.customer, $0.offset) < ($1.element.day, $1.element.customer, $1.offset) }
            .map(\.element)
        if let known = weeks[week] {
            guard known != sorted else { return }
            snapshots = snapshots.filter { $0.key <= week }
            buyerSets[week] = nil
            labelledRun = nil
        }
        weeks[week] = sorted
    }

    /// The customers who bought during `week`, ascending; nil if that week is not delivered.
    mutating func buyers(week: Int) -> [Int32]? {
        if let cached = buyerSets[week] { return cached }
        guard let purchases = weeks[week] else { return nil }
        let buyers = Array(Set(purchases.map(\.customer))).sorted()
        buyerSets[week] = buyers
        return buyers
    }

    /// The labelled training rows of `weeks`. The run last asked for is extended when it starts
    /// with the same week and ends no later (a loop's growing window); any other is built anew.
    /// - Throws: `MissingWeek` for the first week whose snapshot or buyers are missing.
    mutating func labelledWeeks(_ weeks: ClosedRange<Int>) throws -> LabelledWeeks {
        var run = LabelledWeeks(firstWeek: weeks.lowerBound)
        if let cached = labelledRun, cached.firstWeek == weeks.lowerBound, cached.lastWeek <= weeks.upperBound {
            run = cached
        }
        labelledRun = nil  // so the run's arrays are not shared while it grows
        while run.lastWeek < weeks.upperBound {
            let week = run.lastWeek + 1
            guard let snapshot = try snapshot(week: week), let buyers = buyers(week: week) else { throw MissingWeek(week: week) }
            run.append(snapshot, buyers: buyers)
        }
        labelledRun = run
        return run
    }

    /// The first week before `week` (from week 0) that has not been delivered, if any.
    func firstMissingWeek(before week: Int) -> Int? {
        (0..<max(week, 0)).first { weeks[$0] == nil }
    }

    /// The snapshot of `week`: nil when a week before it is missing.
    mutating func snapshot(week: Int) throws -> WeekSnapshot? {
        if let cached = snapshots[week] { return cached }
        guard firstMissingWeek(before: week) == nil else { return nil }
        let snapshot = try Self.build(week: week, startDay: calendar.startDay(ofWeek: week), purchases: (0..<max(week, 0)).map { weeks[$0]! })
        snapshots[week] = snapshot
        return snapshot
    }

    /// One pass over the purchases before `startDay`, in day order, accumulating per customer.
    private static func build(week: Int, startDay: Int32, purchases: [[PurchaseRecord]]) throws -> WeekSnapshot {
        var index: [Int32: Int] = [:]
        var ids: [Int32] = []
        var first: [Int32] = [], last: [Int32] = [], days: [Int32] = []
        var count: [Int32] = [], cents: [Int64] = [], items: [Int64] = []
        var recent4: [Int32] = [], recent12: [Int32] = []
        for week in purchases {
            for purchase in week {
                let slot: Int
                if let known = index[purchase.customer] {
                    slot = known
                } else {
                    slot = ids.count
                    index[purchase.customer] = slot
                    ids.append(purchase.customer)
                    first.append(purchase.day); last.append(purchase.day - 1); days.append(0)
                    count.append(0); cents.append(0); items.append(0); recent4.append(0); recent12.append(0)
                }
                if purchase.day != last[slot] {
                    days[slot] += 1
                    if purchase.day >= startDay - 28 { recent4[slot] += 1 }
                    if purchase.day >= startDay - 84 { recent12[slot] += 1 }
                    last[slot] = purchase.day
                }
                count[slot] += 1
                cents[slot] += purchase.cents
                items[slot] += Int64(purchase.items)
            }
        }
        let order = ids.indices.sorted { ids[$0] < ids[$1] }
        var table = TabularTable(schema: CustomerFeatures.schema)
        table.reserveCapacity(order.count)
        var recency: [Double] = []
        recency.reserveCapacity(order.count)
        var row = [Double](repeating: 0, count: CustomerFeatures.columns.count)
        for slot in order {
            let recencyDays = Double(startDay - last[slot])
            row[0] = recencyDays
            row[1] = Double(days[slot])
            row[2] = Double(cents[slot]) / 100 / Double(count[slot])
            row[3] = Double(items[slot])
            row[4] = Double(startDay - first[slot])
            row[5] = Double(recent4[slot])
            row[6] = Double(recent12[slot])
            try table.append(numeric: row)
            recency.append(-recencyDays + Double(min(days[slot], 999_999)) / 1_000_000)
        }
        return WeekSnapshot(week: week, customers: order.map { ids[$0] }, features: table, recencyScores: recency)
    }
}

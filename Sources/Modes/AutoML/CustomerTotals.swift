import ModelCore

/// Each customer's running totals over the purchases of weeks 0 to `weeksAdded − 1`: the part
/// of their features that only grows. `PurchaseHistory` extends it a week at a time, so a
/// week's snapshot reads the new week's purchases rather than all of them again.
struct CustomerTotals {
    /// How many weeks, from week 0, have been added.
    private(set) var weeksAdded = 0
    private var slots: [Int32: Int] = [:]
    private var ids: [Int32] = []
    private var firstDay: [Int32] = [], lastDay: [Int32] = [], purchaseDays: [Int32] = []
    private var purchases: [Int32] = [], cents: [Int64] = [], items: [Int64] = []
    /// The slots in ascending customer order, nil when a customer came since it was sorted.
    private var ascending: [Int]? = []

    /// Adds the purchases of week `weeksAdded`, sorted by day (several purchases on one day
    /// count as one purchase day).
    mutating func add(_ week: [PurchaseRecord]) {
        for purchase in week {
            let slot: Int
            if let known = slots[purchase.customer] {
                slot = known
            } else {
                slot = ids.count
                slots[purchase.customer] = slot
                ids.append(purchase.customer)
                firstDay.append(purchase.day); lastDay.append(purchase.day - 1); purchaseDays.append(0)
                purchases.append(0); cents.append(0); items.append(0)
                ascending = nil
            }
            if purchase.day != lastDay[slot] {
                purchaseDays[slot] += 1
                lastDay[slot] = purchase.day
            }
            purchases[slot] += 1
            cents[slot] += purchase.cents
            items[slot] += Int64(purchase.items)
        }
        weeksAdded += 1
    }

    /// The snapshot of `week` (the week after the ones added), which starts on `startDay`: every
    /// customer so far with their features, given `recentWeeks`, the purchases of (at least)
    /// the 12 weeks before it.
    mutating func snapshot(week: Int, startDay: Int32, recentWeeks: [[PurchaseRecord]]) throws -> WeekSnapshot {
        let order = ascending ?? ids.indices.sorted { ids[$0] < ids[$1] }
        ascending = order
        // Purchase days in the last 28 and 84 days, counted as the running totals count them.
        var recent4 = [Int32](repeating: 0, count: ids.count), recent12 = recent4
        var lastRecentDay = [Int32](repeating: -1, count: ids.count)
        for week in recentWeeks {
            for purchase in week where purchase.day >= startDay - 84 && purchase.day < startDay {
                let slot = slots[purchase.customer]!
                guard purchase.day != lastRecentDay[slot] else { continue }
                lastRecentDay[slot] = purchase.day
                recent12[slot] += 1
                if purchase.day >= startDay - 28 { recent4[slot] += 1 }
            }
        }
        var table = TabularTable(schema: CustomerFeatures.schema)
        table.reserveCapacity(order.count)
        var recency: [Double] = []
        recency.reserveCapacity(order.count)
        var row = [Double](repeating: 0, count: CustomerFeatures.columns.count)
        for slot in order {
            let recencyDays = Double(startDay - lastDay[slot])
            row[0] = recencyDays
            row[1] = Double(purchaseDays[slot])
            row[2] = Double(cents[slot]) / 100 / Double(purchases[slot])
            row[3] = Double(items[slot])
            row[4] = Double(startDay - firstDay[slot])
            row[5] = Double(recent4[slot])
            row[6] = Double(recent12[slot])
            try table.append(numeric: row)
            recency.append(-recencyDays + Double(min(purchaseDays[slot], 999_999)) / 1_000_000)
        }
        return WeekSnapshot(week: week, customers: order.map { ids[$0] }, features: table, recencyScores: recency)
    }
}

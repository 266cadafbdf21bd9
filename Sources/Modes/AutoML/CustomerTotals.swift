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

    /// The purchases of the last `recentWeekCount` weeks added, oldest week first, each as its
    /// day and its customer's slot: what the recent-purchase counts read.
    private var recentPurchases: [[(day: Int32, slot: Int)]] = []
    /// Weeks of purchases kept for the recent counts: `purchases_12w` looks back 84 days.
    private static let recentWeekCount = 12

    /// Adds the purchases of week `weeksAdded`, sorted by day (several purchases on one day
    /// count as one purchase day).
    mutating func add(_ week: [PurchaseRecord]) {
        var added: [(day: Int32, slot: Int)] = []
        added.reserveCapacity(week.count)
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
            added.append((purchase.day, slot))
        }
        recentPurchases.append(added)
        if recentPurchases.count > Self.recentWeekCount { recentPurchases.removeFirst() }
        weeksAdded += 1
    }

    /// The snapshot of `week` (the week after the ones added), which starts on `startDay`: every
    /// customer so far with their features.
    mutating func snapshot(week: Int, startDay: Int32) throws -> WeekSnapshot {
        let order = ascending ?? ids.indices.sorted { ids[$0] < ids[$1] }
        ascending = order
        // Purchase days in the last 28 and 84 days, counted as the running totals count them.
        var recent4 = [Int32](repeating: 0, count: ids.count), recent12 = recent4
        var lastRecentDay = [Int32](repeating: -1, count: ids.count)
        for week in recentPurchases {
            for (day, slot) in week where day >= startDay - 84 && day < startDay {
                guard day != lastRecentDay[slot] else { continue }
                lastRecentDay[slot] = day
                recent12[slot] += 1
                if day >= startDay - 28 { recent4[slot] += 1 }
            }
        }
        let columns = CustomerFeatures.columns.count
        precondition(columns == 7, "a snapshot row writes the 7 columns of CustomerFeatures")
        var recency = [Double](repeating: 0, count: order.count)
        let values = [Double](unsafeUninitializedCapacity: order.count * columns) { values, initialized in
            for (index, slot) in order.enumerated() {
                let recencyDays = Double(startDay - lastDay[slot])
                let row = values.baseAddress! + index * columns  // the columns in `CustomerFeatures`' order
                row[0] = recencyDays
                row[1] = Double(purchaseDays[slot])
                row[2] = Double(cents[slot]) / 100 / Double(purchases[slot])
                row[3] = Double(items[slot])
                row[4] = Double(startDay - firstDay[slot])
                row[5] = Double(recent4[slot])
                row[6] = Double(recent12[slot])
                recency[index] = -recencyDays + Double(min(purchaseDays[slot], 999_999)) / 1_000_000
            }
            initialized = order.count * columns
        }
        var table = TabularTable(schema: CustomerFeatures.schema)
        try table.append(rows: order.count, numeric: values)
        return WeekSnapshot(week: week, customers: order.map { ids[$0] }, features: table, recencyScores: recency)
    }
}

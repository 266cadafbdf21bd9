import Determinism

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
    /// That run being extended on another thread (`prepareLabelledWeeks(through:)`); while it
    /// is, `labelledRun` is nil.
    private var extendingRun: BackgroundWork<LabelledWeeks>?
    /// Running totals over the weeks from 0, extended for each new snapshot.
    private var totals = CustomerTotals()

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
            extendingRun = nil  // its thread finishes on its own; what it made is dropped
            if totals.weeksAdded > week { totals = CustomerTotals() }
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
        collectExtendedRun()
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

    /// Starts extending the run of labelled weeks last asked for — the growing window of a
    /// loop's retrains — to `lastWeek` on another thread, so that the next retrain finds its
    /// rows ready while this thread makes snapshots and writes campaigns. Only weeks whose
    /// snapshots are made already are appended (making one moves the running totals, which stay
    /// with this thread); `labelledWeeks(_:)` appends any others. The rows are the same as
    /// appended there: the same weeks, in the same order.
    mutating func prepareLabelledWeeks(through lastWeek: Int) {
        collectExtendedRun()
        guard let start = labelledRun?.lastWeek, start < lastWeek else { return }
        var weeks: [(snapshot: WeekSnapshot, buyers: [Int32])] = []
        for week in (start + 1)...lastWeek {
            guard let snapshot = snapshots[week], let buyers = buyers(week: week) else { break }
            weeks.append((snapshot, buyers))
        }
        guard !weeks.isEmpty else { return }
        // Handed over as the only reference, so appending copies none of its rows.
        let run = HandOver(labelledRun!)
        labelledRun = nil
        extendingRun = BackgroundWork { [weeks] in
            var extended = run.take()
            for week in weeks { extended.append(week.snapshot, buyers: week.buyers) }
            return extended
        }
    }

    /// Takes back the run `prepareLabelledWeeks(through:)` extends, waiting for it if needed.
    private mutating func collectExtendedRun() {
        guard let extendingRun else { return }
        labelledRun = extendingRun.value()
        self.extendingRun = nil
    }

    /// The first week before `week` (from week 0) that has not been delivered, if any.
    func firstMissingWeek(before week: Int) -> Int? {
        (0..<max(week, 0)).first { weeks[$0] == nil }
    }

    /// The snapshot of `week`: nil when a week before it is missing. Built from the running
    /// totals, extended to `week` (or started again when they are past it).
    mutating func snapshot(week: Int) throws -> WeekSnapshot? {
        if let cached = snapshots[week] { return cached }
        guard firstMissingWeek(before: week) == nil else { return nil }
        if totals.weeksAdded > max(week, 0) { totals = CustomerTotals() }
        while totals.weeksAdded < week { totals.add(weeks[totals.weeksAdded]!) }
        let snapshot = try totals.snapshot(week: week, startDay: calendar.startDay(ofWeek: week))
        snapshots[week] = snapshot
        return snapshot
    }
}

/// A value handed to another thread, which takes it as its only owner.
private final class HandOver<Value>: @unchecked Sendable {
    private var value: Value?

    init(_ value: consuming Value) { self.value = value }

    /// The value, which this no longer holds (taken once).
    func take() -> Value {
        defer { value = nil }
        return value!
    }
}

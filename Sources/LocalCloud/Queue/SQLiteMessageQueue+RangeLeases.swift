import Foundation

/// Range leases (`RangeLease`, table `leases`): a pull leases the new messages it hands out with
/// one row, and an ack clears their bits, so the common path — published, pulled once, acked in
/// time — costs no row per message and subscription. Every other state lives in `deliveries`
/// rows, made from a range lease when a message leaves it any other way. All of these run
/// inside a write transaction.
extension SQLiteMessageQueue {
    /// The range leases of `subscription`, by first id.
    func rangeLeases(of subscription: String, in database: SQLiteDatabase) throws -> [RangeLease] {
        try database.statement("SELECT first_id, last_id, lease_until_ns, done FROM leases WHERE subscription = ? ORDER BY first_id")
            .rows([.text(subscription)]) { RangeLease(first: $0.int64(0), last: $0.int64(1), until: $0.int64(2), done: $0.data(3)) }
    }

    /// The index of the range lease in `leases` (by first id, not overlapping, as
    /// `rangeLeases` gives them) that holds message `id`, if one does.
    func rangeLease(holding id: Int64, in leases: [RangeLease]) -> Int? {
        var low = 0
        var high = leases.count
        while low < high {  // the first lease starting after `id`
            let middle = (low + high) / 2
            if leases[middle].first <= id { low = middle + 1 } else { high = middle }
        }
        return low > 0 && leases[low - 1].holds(id) ? low - 1 : nil
    }

    /// Records a new range lease of `subscription`.
    func insert(_ lease: RangeLease, of subscription: String, in database: SQLiteDatabase) throws {
        try database.statement("INSERT INTO leases (subscription, first_id, last_id, lease_until_ns, done) VALUES (?, ?, ?, ?, ?)")
            .run([.text(subscription), .integer(lease.first), .integer(lease.last), .integer(lease.until), .blob(lease.doneBlob)])
    }

    /// Stores a range lease whose bits changed, or deletes it once it holds nothing; then, if
    /// `releasing` (acked messages are not retained) or the lease is gone, deletes its messages
    /// no subscription holds (a purge or another subscription's deletion skipped every id in a
    /// live lease's range, its acked ones too: they are looked at again here).
    func update(_ lease: RangeLease, of subscription: String, topic: String, releasing: Bool, in database: SQLiteDatabase) throws {
        let key: [SQLiteValue] = [.text(subscription), .integer(lease.first)]
        if lease.isSpent {
            try database.statement("DELETE FROM leases WHERE subscription = ? AND first_id = ?").run(key)
        } else {
            try database.statement("UPDATE leases SET done = ? WHERE subscription = ? AND first_id = ?").run([.blob(lease.doneBlob)] + key)
        }
        if releasing || lease.isSpent { try deleteUnheldMessages(of: topic, from: lease.first, through: lease.last, in: database) }
    }

    /// Deletes the messages of `topic` with ids `first…last` that no subscription holds. A
    /// subscription holds the messages of its topic after its position (an in-order one's
    /// cursor, a leased one's frontier), those it has a row of, and what its range leases
    /// hold: found with one range read each, then the stretches between go.
    func deleteUnheldMessages(of topic: String, from first: Int64, through last: Int64, in database: SQLiteDatabase) throws {
        let subscriptions = try database.statement("SELECT name, coalesce(cursor, frontier) FROM subscriptions WHERE topic = ?")
            .rows([.text(topic)]) { (name: $0.string(0), position: $0.int64(1)) }
        let through = min(last, subscriptions.map(\.position).min() ?? last)
        guard first <= through else { return }
        let rows = try database.statement("SELECT message_id FROM deliveries WHERE subscription = ? AND message_id >= ? AND message_id <= ?")
        let leases = try database.statement(
            "SELECT first_id, last_id, lease_until_ns, done FROM leases WHERE subscription = ? AND first_id <= ? AND last_id >= ?")
        var kept: [Int64] = []
        for subscription in subscriptions {
            kept += try rows.rows([.text(subscription.name), .integer(first), .integer(through)]) { $0.int64(0) }
            kept += try leases.rows([.text(subscription.name), .integer(through), .integer(first)]) {
                RangeLease(first: $0.int64(0), last: $0.int64(1), until: $0.int64(2), done: $0.data(3))
            }.flatMap(\.heldIDs)
        }
        let delete = try database.statement("DELETE FROM messages WHERE id >= ? AND id <= ? AND topic = ?")
        var start = first
        for end in kept.filter({ $0 >= first && $0 <= through }).sorted() + [through + 1] {
            if start < end { try delete.run([.integer(start), .integer(end - 1), .text(topic)]) }
            start = max(start, end + 1)
        }
    }

    /// Gives message `id` a `deliveries` row of `subscription`: unacked with `attempts`,
    /// `serial` and lease end `leaseUntil`, or (`ackedAt`) acked at that time.
    func insertDelivery(_ subscription: String, id: Int64, attempts: Int64, serial: Int64, leaseUntil: Int64?,
                        ackedAt: Int64? = nil, in database: SQLiteDatabase) throws {
        try database.statement("""
            INSERT INTO deliveries (subscription, message_id, ordering_key, state, attempts, lease_until_ns, acked_ns, serial)
            SELECT ?1, id, ordering_key, ?2, ?3, ?4, ?5, ?6 FROM messages WHERE id = ?7
            """).run([
                .text(subscription), .integer(ackedAt == nil ? QueueSchema.unacked : QueueSchema.acked), .integer(attempts),
                .optional(leaseUntil), .optional(ackedAt), .integer(serial), .integer(id),
            ])
    }

    /// Moves message `id` out of `lease` (which holds it) into a row of its own, unacked, with
    /// lease end `leaseUntil` (nil: available now).
    func moveToRow(_ id: Int64, from lease: inout RangeLease, subscription: String, leaseUntil: Int64?,
                   in database: SQLiteDatabase) throws {
        try insertDelivery(subscription, id: id, attempts: RangeLease.serial, serial: RangeLease.serial, leaseUntil: leaseUntil, in: database)
        lease.release(id)
    }

    /// Ends the range leases of `subscription` (of `topic`) that expired by `now` (all of them
    /// if `now` is nil): each message they still hold gets a row, to be delivered again as any
    /// other, and the acked ones no subscription holds are deleted. Returns the live ones.
    @discardableResult
    func expireRangeLeases(of subscription: String, topic: String, now: Int64?, in database: SQLiteDatabase) throws
        -> [RangeLease]
    {
        var live: [RangeLease] = []
        for var lease in try rangeLeases(of: subscription, in: database) {
            if let now, lease.until > now {
                live.append(lease)
                continue
            }
            for id in lease.heldIDs {
                try moveToRow(id, from: &lease, subscription: subscription, leaseUntil: lease.until, in: database)
            }
            try update(lease, of: subscription, topic: topic, releasing: true, in: database)
        }
        return live
    }

    /// The last message of its topic leased subscription `subscription` has looked at.
    func frontier(of subscription: String, in database: SQLiteDatabase) throws -> Int64 {
        try database.statement("SELECT frontier FROM subscriptions WHERE name = ?").firstRow([.text(subscription)]) { $0.int64(0) } ?? 0
    }

    /// Gives every message `subscription` holds a row: those under range leases, and the new
    /// ones, which it then has looked at (for `seek`, which works on rows).
    func moveAllToRows(_ subscription: String, topic: String, in database: SQLiteDatabase) throws {
        let frontier = try frontier(of: subscription, in: database)
        try expireRangeLeases(of: subscription, topic: topic, now: nil, in: database)
        // Every message the subscription holds then has a row, none is new to it.
        try database.statement("UPDATE subscriptions SET frontier = \(QueueSchema.lastGivenID) WHERE name = ?").run([.text(subscription)])
        try database.statement("""
            INSERT INTO deliveries (subscription, message_id, ordering_key) SELECT ?1, id, ordering_key FROM messages
            WHERE id > ?2 AND topic = ?3
            """).run([.text(subscription), .integer(frontier), .text(topic)])
    }

    /// Whether message `id` (keyed `key`, new to `subscription`) must wait for an earlier
    /// message with its key that `subscription` has not acked: one with a row (`rowsMayWait`:
    /// whether the subscription has any unacked keyed row), or one under a range lease, which is
    /// then moved to a row (changing `leases`), so that the two are ordered by rows alone. Only
    /// messages within the leases' ids are read, never the key's whole kept history.
    func waitsForEarlier(_ id: Int64, key: String, topic: String, subscription: String, rowsMayWait: Bool,
                         leases: inout [RangeLease], changed: inout Set<Int>, in database: SQLiteDatabase) throws -> Bool {
        var waits = false
        if let low = leases.first?.first {
            let leased = try database.statement("""
                SELECT id FROM messages INDEXED BY messages_by_key WHERE topic = ? AND ordering_key = ? AND id >= ? AND id < ?
                """).rows([.text(topic), .text(key), .integer(low), .integer(id)]) { $0.int64(0) }
            for other in leased {
                guard let index = rangeLease(holding: other, in: leases) else { continue }
                try moveToRow(other, from: &leases[index], subscription: subscription, leaseUntil: leases[index].until, in: database)
                changed.insert(index)
                waits = true
            }
        }
        if rowsMayWait && !waits {
            waits = try database.statement("""
                SELECT 1 FROM deliveries INDEXED BY deliveries_ordered
                WHERE subscription = ? AND state = 0 AND ordering_key = ? AND message_id < ? LIMIT 1
                """).firstRow([.text(subscription), .text(key), .integer(id)]) { _ in true } ?? false
        }
        return waits
    }
}

import Foundation

/// One row of `leases`: the first delivery of a run of new messages, leased by one pull.
///
/// The messages of the subscription's topic with ids `first…last` whose bit in `done` is 0 are
/// leased until `until` (delivery attempt 1, serial 1); a bit is 1 for an id that is not one of
/// them (another topic's message, one held back) or whose message was acked or has a
/// `deliveries` row of its own since. See `QueueSchema`.
struct RangeLease {
    /// The delivery serial (and attempt) of every message under a range lease: its first.
    static let serial: Int64 = 1
    /// The most ids (of other topics, or held back) one lease spans between two of its
    /// messages; a wider gap starts another lease, so no bitmap grows with other topics' traffic.
    static let maxGap: Int64 = 64

    let first: Int64
    let last: Int64
    /// The lease end, in nanoseconds since the epoch.
    let until: Int64
    /// One bit per id from `first`, least significant first; 1 = not (or no longer) leased here.
    private(set) var done: [UInt8]

    /// Leases of `ids` (ascending) until `until`: one per run of ids no more than `maxGap` apart.
    static func covering(_ ids: [Int64], until: Int64) -> [RangeLease] {
        var leases: [RangeLease] = []
        var run: [Int64] = []
        for id in ids {
            if let last = run.last, id - last > maxGap {
                leases.append(RangeLease(ids: run, until: until))
                run.removeAll()
            }
            run.append(id)
        }
        if !run.isEmpty { leases.append(RangeLease(ids: run, until: until)) }
        return leases
    }

    /// A lease of `ids` (ascending, not empty) until `until`.
    init(ids: [Int64], until: Int64) {
        first = ids[0]
        last = ids[ids.count - 1]
        self.until = until
        done = [UInt8](repeating: 0xFF, count: Int((last - first) / 8 + 1))
        for id in ids {
            let offset = Int(id - first)
            done[offset >> 3] &= ~(1 << UInt8(offset & 7))
        }
    }

    init(first: Int64, last: Int64, until: Int64, done: Data) {
        self.first = first
        self.last = last
        self.until = until
        self.done = [UInt8](done)
    }

    /// Whether message `id` is leased here (and not yet acked or given a row).
    func holds(_ id: Int64) -> Bool {
        guard id >= first && id <= last else { return false }
        let offset = Int(id - first)
        return done[offset >> 3] & (1 << UInt8(offset & 7)) == 0
    }

    /// Marks message `id` as no longer leased here.
    mutating func release(_ id: Int64) {
        let offset = Int(id - first)
        done[offset >> 3] |= 1 << UInt8(offset & 7)
    }

    /// The ids still leased here, ascending.
    var heldIDs: [Int64] {
        (first...last).filter(holds)
    }

    /// How many messages are still leased here.
    var heldCount: Int {
        // Bits past `last` in the final byte are 1 from the start.
        done.reduce(0) { $0 + (8 - $1.nonzeroBitCount) }
    }

    /// Whether no message is leased here any more.
    var isSpent: Bool { done.allSatisfy { $0 == 0xFF } }

    /// The `done` bits as stored.
    var doneBlob: Data { Data(done) }
}

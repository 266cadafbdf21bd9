import LocalCloud

/// How the pipeline sizes its worker pool from the subscription's backlog, on the clock.
///
/// The wanted count is the backlog divided by `targetBacklogPerWorker`, rounded up, kept
/// between `minWorkers` and `maxWorkers`; when the oldest unacked message is older than
/// `maxOldestUnackedAge`, at least one more worker than now is wanted (the backlog is small but
/// stuck). After a change, no other change is made for `coolDown`, so the pool does not flap.
public struct AutoscalingPolicy: Sendable, Equatable {
    /// The fewest workers (at least 1).
    public var minWorkers: Int
    /// The most workers (at least `minWorkers`).
    public var maxWorkers: Int
    /// The backlog one worker is meant to carry (at least 1).
    public var targetBacklogPerWorker: Int
    /// The age of the oldest unacked message past which one more worker is wanted; nil: age is
    /// not considered.
    public var maxOldestUnackedAge: Duration?
    /// The least time between two changes.
    public var coolDown: Duration

    /// A policy; throws `AutoscalingPolicyError` naming the field that is out of range.
    public init(minWorkers: Int, maxWorkers: Int, targetBacklogPerWorker: Int, maxOldestUnackedAge: Duration? = nil,
                coolDown: Duration) throws(AutoscalingPolicyError) {
        guard minWorkers >= 1 else { throw .outOfRange(field: "min_workers", expected: "at least 1", found: "\(minWorkers)") }
        guard maxWorkers >= minWorkers else {
            throw .outOfRange(field: "max_workers", expected: "at least min_workers (\(minWorkers))", found: "\(maxWorkers)")
        }
        guard targetBacklogPerWorker >= 1 else {
            throw .outOfRange(field: "target_backlog_per_worker", expected: "at least 1", found: "\(targetBacklogPerWorker)")
        }
        guard coolDown >= .zero else { throw .outOfRange(field: "cool_down", expected: "not negative", found: "\(coolDown)") }
        if let age = maxOldestUnackedAge, age <= .zero {
            throw .outOfRange(field: "max_oldest_unacked_age", expected: "positive", found: "\(age)")
        }
        self.minWorkers = minWorkers
        self.maxWorkers = maxWorkers
        self.targetBacklogPerWorker = targetBacklogPerWorker
        self.maxOldestUnackedAge = maxOldestUnackedAge
        self.coolDown = coolDown
    }

    /// The worker count wanted for `backlog` messages whose oldest unacked one is `oldestAge`
    /// old, with `current` workers running (cool-down aside).
    public func wantedWorkers(backlog: Int, oldestAge: Duration?, current: Int) -> Int {
        var wanted = (backlog + targetBacklogPerWorker - 1) / targetBacklogPerWorker
        if let limit = maxOldestUnackedAge, let oldestAge, oldestAge > limit { wanted = max(wanted, current + 1) }
        return min(max(wanted, minWorkers), maxWorkers)
    }
}

/// An autoscaling policy field out of range.
public enum AutoscalingPolicyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `field` should be `expected`; it was `found`.
    case outOfRange(field: String, expected: String, found: String)

    public var description: String {
        switch self {
        case .outOfRange(let field, let expected, let found): "autoscaling \(field) should be \(expected), found \(found)"
        }
    }
}

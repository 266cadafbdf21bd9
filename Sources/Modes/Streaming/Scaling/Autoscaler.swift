import JSON
import LocalCloud

/// Applies an `AutoscalingPolicy` to a subscription on the clock: each ``evaluate(current:)``
/// reads the backlog and the oldest unacked message's age and says how many workers to run;
/// every change is a `ScalingDecision` a scenario can capture.
///
/// Scaling down is stabilised, as Kubernetes' autoscaler does: the count goes down only to the
/// highest count wanted over the last cool-down, so a backlog that a burst's extra workers have
/// just cleared, while the burst goes on, does not send them away.
public struct Autoscaler: Sendable {
    /// The policy applied.
    public let policy: AutoscalingPolicy
    /// The queue read.
    public let queue: any MessageQueue
    /// The subscription whose backlog is measured.
    public let subscription: String
    /// The clock decisions are timed on.
    public let clock: any CloudClock
    /// When the last change was made (cool-down runs from there).
    public private(set) var lastChange: Instant?
    /// The counts wanted at each evaluation of the last cool-down, oldest first.
    private var recent: [(time: Instant, wanted: Int)] = []

    /// An autoscaler for `subscription`.
    public init(policy: AutoscalingPolicy, queue: any MessageQueue, subscription: String, clock: any CloudClock) {
        self.policy = policy
        self.queue = queue
        self.subscription = subscription
        self.clock = clock
    }

    /// The decision for `current` running workers: nil when the count stays (it is right, or
    /// the cool-down since the last change has not passed).
    public mutating func evaluate(current: Int) throws -> ScalingDecision? {
        let now = clock.now
        guard let info = try queue.subscriptions().first(where: { $0.name == subscription }) else {
            throw MessageQueueError.subscriptionNotFound(subscription)
        }
        let oldest = try queue.peek(subscription, limit: 1).first.map { $0.publishTime.duration(to: now) }
        var wanted = policy.wantedWorkers(backlog: info.backlog, oldestAge: oldest, current: current)
        let window = policy.coolDown
        recent.removeAll { $0.time.duration(to: now) >= window }
        recent.append((now, wanted))
        if wanted < current { wanted = min(current, recent.map(\.wanted).max() ?? wanted) }
        guard wanted != current else { return nil }
        if let lastChange, lastChange.duration(to: now) < policy.coolDown { return nil }
        lastChange = now
        return ScalingDecision(time: now, backlog: info.backlog, oldestUnackedAge: oldest, from: current, to: wanted)
    }
}

/// One change of the worker count, as captured.
public struct ScalingDecision: Sendable, Equatable {
    /// When it was made.
    public var time: Instant
    /// The subscription's backlog then.
    public var backlog: Int
    /// The age of the oldest unacked message then (nil: none).
    public var oldestUnackedAge: Duration?
    /// Workers before.
    public var from: Int
    /// Workers after.
    public var to: Int

    /// The decision as a JSON object (times in ISO-8601, the age in seconds).
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "time": .string(time.iso8601), "backlog": .integer(backlog), "from": .integer(from), "to": .integer(to),
            "action": .string(to > from ? "scale-up" : "scale-down"),
        ]
        if let age = oldestUnackedAge {
            object["oldest_unacked_age_s"] = .number(Double(age.components.seconds) + Double(age.components.attoseconds) / 1e18)
        }
        return .object(object)
    }
}

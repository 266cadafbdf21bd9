import Foundation
import LocalCloud

/// A fresh emulated cloud for one scenario run, in its own folder, on a virtual clock: a
/// `CloudSandbox` (so `rehearse cloud … --root <folder>` can look inside a kept one) with the
/// buckets, topics and subscriptions the scenario declares.
final class ScenarioSandbox: @unchecked Sendable {
    let cloud: CloudSandbox
    let clock: VirtualClock

    var root: URL { cloud.root }
    var objects: DirectoryObjectStore { cloud.objects }
    var ledger: OperationLedger { cloud.ledger }
    var scheduler: CronScheduler { cloud.scheduler }

    /// Creates the sandbox's folder under `parent` and the cloud the scenario declares.
    init(scenario: Scenario, parent: URL) throws {
        let root = parent.appendingPathComponent("\(scenario.name)-\(UUID().uuidString.prefix(8))")
        clock = VirtualClock(start: scenario.start)
        cloud = try CloudSandbox(root: root, clock: clock, faults: FaultPlan(seed: scenario.seed, rates: scenario.cloud.faultRates))
        for bucket in scenario.cloud.buckets { try cloud.objects.createBucket(bucket) }
        for topic in scenario.cloud.topics { try cloud.queue.createTopic(topic.name, options: topic.options) }
        for subscription in scenario.cloud.subscriptions {
            try cloud.queue.createSubscription(subscription.name, topic: subscription.topic, options: subscription.options)
        }
    }

    /// Removes the sandbox's folder.
    func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}

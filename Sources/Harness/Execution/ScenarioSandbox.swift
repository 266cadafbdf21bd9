import Foundation
import LocalCloud

/// A fresh emulated cloud for one scenario run, in its own folder, on a virtual clock: a
/// `CloudSandbox` (so `rehearse cloud … --root <folder>` can look inside a kept one) with the
/// buckets, topics and subscriptions the scenario declares.
///
/// The system under test (batch jobs) uses `objects`, with the scenario's fault plan and the
/// operation ledger. The harness itself — putting inputs, registering models, reading
/// captures — uses `harnessObjects`, the same buckets without faults and uncounted, so that
/// faults test the system rather than the rehearsal, and capturing never changes the ledger.
final class ScenarioSandbox: Sendable {
    let cloud: CloudSandbox
    let clock: VirtualClock
    let harnessObjects: DirectoryObjectStore

    var root: URL { cloud.root }
    var objects: DirectoryObjectStore { cloud.objects }
    var ledger: OperationLedger { cloud.ledger }
    var scheduler: CronScheduler { cloud.scheduler }

    /// Creates the sandbox's folder under `parent` and the cloud the scenario declares.
    init(scenario: Scenario, parent: URL) throws {
        let root = parent.appendingPathComponent("\(scenario.name)-\(UUID().uuidString.prefix(8))")
        clock = VirtualClock(start: scenario.start)
        cloud = try CloudSandbox(root: root, clock: clock, faults: FaultPlan(seed: scenario.seed, rates: scenario.cloud.faultRates))
        harnessObjects = try DirectoryObjectStore(root: root, clock: clock)
        for bucket in scenario.cloud.buckets { try harnessObjects.createBucket(bucket) }
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

import Foundation
import LocalCloud

/// A fresh emulated cloud for one scenario run, in its own folder, on a virtual clock.
///
/// The folder has the layout `rehearse cloud --root` reads: `buckets/`, `objects.sqlite`,
/// `queue.sqlite`, `schedules.sqlite`.
final class ScenarioSandbox: @unchecked Sendable {
    let root: URL
    let clock: VirtualClock
    let ledger = OperationLedger()
    let faults: FaultPlan
    let objects: DirectoryObjectStore
    let queue: SQLiteMessageQueue
    let scheduler: CronScheduler

    /// Creates the sandbox's folder under `parent` and the cloud the scenario declares.
    init(scenario: Scenario, parent: URL) throws {
        root = parent.appendingPathComponent("\(scenario.name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        clock = VirtualClock(start: scenario.start)
        faults = FaultPlan(seed: scenario.seed, rates: scenario.cloud.faultRates)
        queue = try SQLiteMessageQueue(path: root.path + "/queue.sqlite", clock: clock, faults: faults, ledger: ledger)
        objects = try DirectoryObjectStore(root: root, clock: clock, options: .init(faults: faults, ledger: ledger))
        scheduler = CronScheduler(clock: clock, store: try ScheduleStore(path: root.path + "/schedules.sqlite"), ledger: ledger)
        for bucket in scenario.cloud.buckets { try objects.createBucket(bucket) }
        for topic in scenario.cloud.topics { try queue.createTopic(topic.name, options: topic.options) }
        for subscription in scenario.cloud.subscriptions {
            try queue.createSubscription(subscription.name, topic: subscription.topic, options: subscription.options)
        }
    }

    /// Removes the sandbox's folder.
    func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}

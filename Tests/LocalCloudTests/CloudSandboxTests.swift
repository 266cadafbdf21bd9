import Determinism
import Foundation
import LocalCloud
import Testing

@Suite struct CloudSandboxTests {
    @Test func laysOutTheCloudUnderOneRootAndCountsOperations() throws {
        let folder = try TemporaryFolder()
        let clock = VirtualClock()
        let sandbox = try CloudSandbox(root: folder.url, clock: clock,
                                       notifications: [ObjectNotificationRule(bucket: "inputs", topic: "arrivals")])
        try sandbox.queue.createTopic("arrivals")
        try sandbox.queue.createSubscription("scorer", topic: "arrivals")
        try sandbox.objects.createBucket("inputs")
        try sandbox.objects.put(Data("abc".utf8), bucket: "inputs", key: "day-1.csv")
        let arrived = try sandbox.queue.pull("scorer", maxMessages: 10)
        try sandbox.queue.ack("scorer", ackIDs: arrived.map(\.ackID))
        try sandbox.scheduler.schedule("nightly", CronSchedule("@daily")) { _ in }
        try sandbox.scheduler.advance(by: .seconds(3 * 86_400))

        for path in ["buckets/inputs/day-1.csv", "objects.sqlite", "queue.sqlite", "schedules.sqlite", "generations", "tmp"] {
            #expect(FileManager.default.fileExists(atPath: folder.path + "/" + path), "\(path)")
        }
        let ledger = sandbox.ledger.snapshot()
        #expect(ledger[.objectWrites] == 1)
        #expect(ledger[.objectBytesStored] == 3)
        #expect(ledger[.messagesPublished] == 1)
        #expect(ledger[.messagesDelivered] == 1)
        #expect(ledger[.messagesAcked] == 1)
        #expect(ledger[.schedulerRuns] == 3)

        // Reopening the same root sees the same cloud.
        let reopened = try CloudSandbox(root: folder.url, clock: clock)
        #expect(try reopened.objects.get(bucket: "inputs", key: "day-1.csv").data == Data("abc".utf8))
        #expect(try reopened.queue.subscriptions().map(\.name) == ["scorer"])
        #expect(try reopened.schedules.records().map(\.name) == ["nightly"])
    }
}

@Suite struct OperationLedgerTests {
    @Test func countsFromManyThreadsAndSnapshotsSorted() {
        let ledger = OperationLedger()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<1000 {
                ledger.record(.objectReads)
                ledger.record(.objectBytesTransferred, 3)
            }
        }
        ledger.record(.messagesAcked, 0)  // zero amounts are not listed
        let snapshot = ledger.snapshot()
        #expect(snapshot[.objectReads] == 8000)
        #expect(snapshot[.objectBytesTransferred] == 24_000)
        #expect(snapshot.entries.map(\.kind) == [.objectBytesTransferred, .objectReads])
        #expect(snapshot.dictionary == ["object.bytes_transferred": 24_000, "object.reads": 8000])
    }
}

@Suite struct FaultPlanTests {
    @Test func sameSeedSameFaultsDifferentSeedDifferentFaults() {
        func draws(seed: UInt64) -> [Bool] {
            let plan = FaultPlan(seed: seed, rates: [.lostAck: 0.5])
            return (0..<200).map { plan.shouldInject(.lostAck, subject: "sub/\($0 % 10)") }
        }
        #expect(draws(seed: 1) == draws(seed: 1))
        #expect(draws(seed: 1) != draws(seed: 2))
        let fired = draws(seed: 3).filter { $0 }.count
        #expect(fired > 60 && fired < 140)
        #expect(!FaultPlan.none.shouldInject(.publishFailure, subject: "t"))
    }

    @Test func splitMix64MatchesTheReferenceSequence() {
        // First outputs of SplitMix64 seeded with 0 (Vigna's reference implementation).
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    }
}

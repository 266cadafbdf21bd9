import Corpus
import Foundation
import Harness
import LocalCloud
import Modes
import Testing

/// The automl loop as the scheduler runs it in a sandbox.
@Suite struct AutoMLSessionTests {
    /// Runs `cron`'s loop over a small drifting data set, through the Sunday of week 11;
    /// returns the store's object reads and every object's key in the end (records hold the
    /// time they ran, so their bytes differ between schedules).
    private func run(cron: String) throws -> (reads: Int64, objects: [String]) {
        let folder = try TemporaryFolder()
        let ledger = OperationLedger()
        var generator = DriftingPurchases(firstMonday: CampaignCalendar.cdnow.firstMonday)
        generator.customers = 200
        generator.weeks = 12
        generator.driftWeek = 8
        let settings = PropensityLoopSettings(bucket: "shop", campaignSize: 20, trainingWeeks: 4, lastWeek: 10,
                                              policies: [.rule(RetrainRule(trainOn: .lastWeeks(1)))])
        let spec = AutoMLSpec(settings: settings, data: .drifting(generator), schedule: try CronSchedule(cron),
                              missedRuns: .runLatest, exportFaults: ExportFaults())
        let clock = VirtualClock(start: Instant(secondsSinceEpoch: Int64(settings.calendar.firstMonday) * 86_400))
        let store = try DirectoryObjectStore(root: URL(fileURLWithPath: folder.path), clock: clock, options: .init(ledger: ledger))
        try store.createBucket("shop")
        let session = AutoMLSession(spec: spec, purchases: generator.purchases(), store: store, upstream: store)
        let scheduler = CronScheduler(clock: clock)
        try session.start(scheduler: scheduler, now: clock.now) { Issue.record("the loop failed: \($0)") }
        try scheduler.advance(by: .seconds(12 * 7 * 86_400 - 3_600))
        let objects = try store.list(bucket: "shop").objects.map(\.key)
        return (ledger.count(.objectReads), objects)
    }

    @Test("runs after the first that completed in a week do nothing: a cron firing every minute reads what a weekly one reads")
    func laterRunsInAWeekAreSkipped() throws {
        let weekly = try run(cron: "0 6 * * MON")
        let everyMinute = try run(cron: "* * * * *")
        #expect(everyMinute.objects == weekly.objects)
        #expect(weekly.objects.count > 10)
        #expect(everyMinute.reads == weekly.reads, "every-minute runs read \(everyMinute.reads) objects, weekly ones \(weekly.reads)")
    }
}

import Corpus
import Foundation
import LocalCloud
import Modes

/// `rehearse-bench automl`: the whole weekly propensity loop on the real CDNOW purchases, timed.
///
/// For each of the `weekly` and `rule` policies, in a fresh local bucket holding the 78 weekly
/// exports (weeks 0–77), the loop runs weeks 1 to 78 as its schedule would: each run reads the
/// new export, builds every eligible customer's features, records the last campaign's outcome,
/// retrains as the policy says, scores all eligible customers and writes the campaign and the
/// full scores. The time is that of the 78 runs, on one process (training uses every core).
///
/// Each policy's loop runs `runs` times, each in a fresh bucket; its figure is the median time
/// (every run's is printed), so that one run slowed by another process on the machine does not
/// decide it. Every run must leave the same weekly table as the first, or the benchmark fails.
enum AutoMLBenchmark {
    static func run(dataPath: String?, runs: Int) throws {
        let url = try dataPath.map { URL(fileURLWithPath: $0) } ?? CorpusFetcher().fetch(.cdnow)
        let purchases = try PurchaseLog.load(url).map { PurchaseRecord(customer: $0.customer, day: $0.day, items: $0.cds, cents: $0.cents) }
        print("CDNOW: \(purchases.count) purchases by \(Set(purchases.map(\.customer)).count) customers")
        var figures: [String: Double] = [:]
        for policy in [PropensityPolicy.weekly, .rule(RetrainRule())] {
            var times: [Double] = []
            var first: PropensityReport?
            for run in 1...runs {
                let (seconds, report) = try time(policy, purchases: purchases)
                times.append(seconds)
                if let first, first.rows.map(\.json) != report.rows.map(\.json) {
                    throw NotDeterministic(description: "run \(run) of the \(policy.name) loop left another weekly table than run 1")
                }
                first = first ?? report
            }
            let seconds = times.sorted()[times.count / 2]
            let report = first!
            let summary = report.summaries[0]
            print("\(policy.name): \(report.rows.count) campaigns, mean hit rate \(rounded(summary.meanHitRate)), "
                  + "\(summary.buyersReached) buyers reached, \(summary.retrains) retrains (\(summary.promoted) promoted) in \(rounded(seconds)) s"
                  + (runs > 1 ? " (median of \(runs) runs: \(times.map { "\(rounded($0))" }.joined(separator: ", ")) s)" : ""))
            figures["\(policy.name)_s"] = rounded(seconds)
            figures["\(policy.name)_retrains"] = Double(summary.retrains)
            figures["weeks"] = Double(report.rows.count + 12)
            figures["customers_scored"] = Double(report.rows.map(\.record.eligible).reduce(0, +))
        }
        let keys = ["weeks", "weekly_s", "weekly_retrains", "rule_s", "rule_retrains", "customers_scored"]
        print("{" + keys.map { "\"\($0)\": \(format(figures[$0]!))" }.joined(separator: ", ") + "}")
    }

    /// Two runs of one loop gave different results.
    private struct NotDeterministic: Error, CustomStringConvertible {
        let description: String
    }

    /// Seconds for the 78 runs of `policy`, and the report they leave.
    private static func time(_ policy: PropensityPolicy, purchases: [PurchaseRecord]) throws -> (Double, PropensityReport) {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("bench-automl-\(getpid())-\(policy.name)")
        defer { try? FileManager.default.removeItem(at: root) }
        let clock = VirtualClock(start: Instant(iso8601: "1997-01-06T00:00:00Z")!)
        let store = try DirectoryObjectStore(root: root, clock: clock)
        try store.createBucket("shop")
        let settings = PropensityLoopSettings(bucket: "shop", policies: [policy])
        for (week, export) in WeeklyExport.exports(of: purchases, calendar: settings.calendar, lastWeek: settings.lastWeek) {
            try store.put(export, bucket: "shop", key: settings.exportKey(week: week))
        }
        let loop = PropensityLoop(store: store, settings: settings)
        let started = ContinuousClock.now
        for week in 1...(settings.lastWeek + 1) {
            let at = Instant(secondsSinceEpoch: Int64(settings.calendar.startDay(ofWeek: week)) * 86_400 + 5 * 3_600)
            clock.advance(to: at)
            try loop.run(week: week, at: at)
        }
        let elapsed = started.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return (seconds, try PropensityReport(store: store, settings: settings))
    }

    private static func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

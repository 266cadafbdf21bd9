import Corpus
import LocalCloud
import Modes

/// A scenario's automated-ML loop: the weekly propensity job, the purchases an upstream system
/// delivers to it, and when it runs.
public struct AutoMLSpec: Sendable {
    /// Where the purchases come from.
    public enum PurchaseData: Sendable {
        /// The real CDNOW master file (fetched with `rehearse data fetch cdnow`).
        case cdnow
        /// A seeded generator whose buyers change at a known week.
        case drifting(DriftingPurchases)
    }

    /// The loop's settings (bucket, prefixes, campaign size, weeks, policies, rule).
    public var settings: PropensityLoopSettings
    /// The purchases.
    public var data: PurchaseData
    /// When the loop runs.
    public var schedule: CronSchedule
    /// What happens to runs missed while the loop's schedule was paused.
    public var missedRuns: MissedRunPolicy
    /// Faults in the upstream deliveries.
    public var exportFaults: ExportFaults

    /// A loop with `settings` on `data`, run on `schedule`.
    public init(settings: PropensityLoopSettings, data: PurchaseData, schedule: CronSchedule, missedRuns: MissedRunPolicy, exportFaults: ExportFaults) {
        self.settings = settings
        self.data = data
        self.schedule = schedule
        self.missedRuns = missedRuns
        self.exportFaults = exportFaults
    }
}

/// Faults in the weekly deliveries of exports: a week whose export arrives malformed, or not at
/// all. Either way upstream delivers the correct export with the next week's, so the run after
/// the failed one recovers.
public struct ExportFaults: Sendable, Equatable {
    /// Weeks whose export first arrives malformed (a row with an impossible date).
    public var malformed: Set<Int>
    /// Weeks whose export is missing when it is due (it comes a week late).
    public var missing: Set<Int>

    /// Faults in the given weeks.
    public init(malformed: Set<Int> = [], missing: Set<Int> = []) {
        self.malformed = malformed
        self.missing = missing
    }
}

/// An `outage` step: the loop's schedule is paused for `duration` (the clock moves on and
/// upstream keeps delivering); then the missed runs are handled by its missed-run policy.
public struct OutageStep: Sendable {
    /// How long the scheduler is down.
    public var duration: Duration
}

import Foundation
import JSON
import LocalCloud
import Modes
import Synchronization

/// What `rehearse automl` shows: on a terminal, a progress line redrawn each week (weeks done,
/// the latest hit rate of each policy); at the end, a summary table and one JSON line.
struct AutoMLProgress {
    let settings: PropensityLoopSettings
    let store: any ObjectStore
    private let isTerminal = isatty(STDERR_FILENO) == 1

    init(settings: PropensityLoopSettings, store: any ObjectStore) {
        self.settings = settings
        self.store = store
    }

    /// Redraws the progress line for the clock's time `now`.
    func show(now: Instant) {
        guard isTerminal, let report = try? PropensityReport(store: store, settings: settings) else { return }
        let week = min(settings.calendar.week(of: now), settings.lastWeek + 1)
        let latest = settings.policies.map { policy in
            let rate = report.rows.last { $0.policy == policy.name && $0.outcome != nil }?.outcome?.hitRate
            return "\(policy.name) \(rate.map { String(format: "%.3f", $0) } ?? "–")"
        }
        let line = "week \(week) of \(settings.lastWeek + 1) · \(CampaignCalendar.dateText(ofDay: settings.calendar.startDay(ofWeek: week))) · hit rate: "
            + latest.joined(separator: ", ")
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }

    /// Ends the progress line.
    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// One row per policy: campaigns, buyers reached, mean hit rate and lift, retrains.
    static func summaryTable(_ report: PropensityReport) -> String {
        table([["policy", "campaigns", "buyers reached", "mean hit rate", "mean lift", "retrains (promoted)"]] + report.summaries.map {
            [$0.policy, String($0.campaigns), String($0.buyersReached), String(format: "%.4f", $0.meanHitRate),
             String(format: "%.2f", $0.meanLift), "\($0.retrains) (\($0.promoted))"]
        })
    }

    /// The summaries as one JSON line: `{"policies": [...]}`.
    static func summaryJSON(_ report: PropensityReport) -> String {
        JSONValue.object(["policies": .array(report.summaries.map(\.json))]).canonicalText
    }
}

/// The first error a scheduled run reported.
final class FailureBox: Sendable {
    private let first = Mutex<(any Error)?>(nil)

    func record(_ error: any Error) { first.withLock { if $0 == nil { $0 = error } } }

    var error: (any Error)? { first.withLock { $0 } }
}

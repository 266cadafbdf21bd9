import Foundation
import Modes

/// What a scenario's steps share with the jobs its schedules start: run summaries, armed
/// faults, and failures of scheduled runs.
///
/// `@unchecked Sendable`: scheduled jobs run from the scheduler's `@Sendable` callbacks, and the
/// state they share with the steps (summaries, armed faults, failures) is only touched while
/// holding `lock`. `Mutex`, which the compiler could check, needs macOS 15; the package still
/// declares macOS 14.
final class ExecutionState: @unchecked Sendable {
    private let lock = NSLock()
    private var summaries: [String: [BatchSummary]] = [:]
    private var armedFaults: [String: BatchFaults] = [:]
    private var scheduledFailures: [ScenarioRunError.Problem] = []

    /// Arms `faults` for the next run of `job`.
    func arm(_ faults: BatchFaults, for job: BatchJobSpec) { lock.withLock { armedFaults[job.name] = faults } }

    /// The faults armed for `job`, disarmed by taking them.
    func takeFaults(for job: BatchJobSpec) -> BatchFaults { lock.withLock { armedFaults.removeValue(forKey: job.name) } ?? .none }

    /// Records a run's summary.
    func record(_ summary: BatchSummary, of job: BatchJobSpec) { lock.withLock { summaries[job.name, default: []].append(summary) } }

    /// Every summary so far, by job name.
    var allSummaries: [String: [BatchSummary]] { lock.withLock { summaries } }

    /// Records why a scheduled run fails the scenario.
    func recordScheduledFailure(_ problem: ScenarioRunError.Problem) { lock.withLock { scheduledFailures.append(problem) } }

    /// The first scheduled run that failed, if any.
    var firstScheduledFailure: ScenarioRunError.Problem? { lock.withLock { scheduledFailures.first } }
}

import Modes
import Synchronization

/// What a scenario's steps share with the jobs its schedules start: run summaries, armed
/// faults, and failures of scheduled runs. Scheduled jobs run from the scheduler's `@Sendable`
/// callbacks, so the shared state sits in a `Mutex`.
final class ExecutionState: Sendable {
    private struct Shared {
        var summaries: [String: [BatchSummary]] = [:]
        var armedFaults: [String: BatchFaults] = [:]
        var scheduledFailures: [ScenarioRunError.Problem] = []
        var computeSeconds = 0.0
    }

    private let shared = Mutex(Shared())

    /// Arms `faults` for the next run of `job`.
    func arm(_ faults: BatchFaults, for job: BatchJobSpec) { shared.withLock { $0.armedFaults[job.name] = faults } }

    /// The faults armed for `job`, disarmed by taking them.
    func takeFaults(for job: BatchJobSpec) -> BatchFaults { shared.withLock { $0.armedFaults.removeValue(forKey: job.name) } ?? .none }

    /// Records a run's summary.
    func record(_ summary: BatchSummary, of job: BatchJobSpec) { shared.withLock { $0.summaries[job.name, default: []].append(summary) } }

    /// Every summary so far, by job name.
    var allSummaries: [String: [BatchSummary]] { shared.withLock { $0.summaries } }

    /// Records why a scheduled run fails the scenario.
    func recordScheduledFailure(_ problem: ScenarioRunError.Problem) { shared.withLock { $0.scheduledFailures.append(problem) } }

    /// Adds vCPU-seconds a job or command spent (measured on this machine's clock).
    func addCompute(_ seconds: Double) { shared.withLock { $0.computeSeconds += seconds } }

    /// The vCPU-seconds jobs and commands spent so far.
    var computeSeconds: Double { shared.withLock { $0.computeSeconds } }

    /// The first scheduled run that failed, if any.
    var firstScheduledFailure: ScenarioRunError.Problem? { shared.withLock { $0.scheduledFailures.first } }
}

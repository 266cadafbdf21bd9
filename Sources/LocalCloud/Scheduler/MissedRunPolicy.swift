/// What a scheduler does with runs that came due while nobody called it (the clock jumped, or
/// the process was down and the schedule's state was kept in a `ScheduleStore`).
public enum MissedRunPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Fire every missed run, oldest first (each with its own scheduled time).
    case runAll = "run-all"
    /// Fire once, for the most recent missed run; `ScheduledRun.coalescedRuns` counts the others.
    case runLatest = "run-latest"
    /// Fire nothing that is more than a minute late, like cron after downtime.
    case skipMissed = "skip-missed"
}

/// One firing of a scheduled job.
public struct ScheduledRun: Hashable, Sendable {
    /// The job's name.
    public var job: String
    /// The instant the schedule called for.
    public var scheduledAt: Instant
    /// The clock's time when it fired (equal to `scheduledAt` when stepped by `advance`).
    public var firedAt: Instant
    /// With `.runLatest`, how many earlier missed runs this one stands for (0 otherwise).
    public var coalescedRuns: Int
}

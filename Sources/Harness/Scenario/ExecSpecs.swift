import Modes

/// A command of the user's that a scenario runs against its sandbox: an `exec:` step, or a job
/// declared with `exec:` that `run` steps and schedules start. See `docs/scenarios.md`.
public struct ExecSpec: Sendable, Equatable {
    /// The name its runs are recorded and captured under (`capture: {exec: NAME}`).
    public var name: String
    /// The program and its arguments; the program is looked up on `PATH` unless it has a `/`.
    public var argv: [String]
    /// The folder it runs in, relative to the scenario's folder (`.` by default).
    public var workingDirectory: String
    /// Variables added to its environment, in file order; they win over the sandbox's.
    public var environment: [EnvironmentVariable]
    /// How long it may run (wall-clock time) before it and its process group are killed.
    public var timeout: Duration

    /// The timeout when the scenario names none.
    public static let defaultTimeout: Duration = .seconds(120)
}

/// One `NAME: value` of an exec's `env`.
public struct EnvironmentVariable: Sendable, Equatable {
    /// The variable's name.
    public var name: String
    /// Its value.
    public var value: String
}

/// What a schedule starts: a batch job or a command.
public enum ScheduledWork: Sendable {
    /// A built-in batch job.
    case batch(BatchJobSpec)
    /// A command of the user's.
    case exec(ExecSpec)

    /// The job's name.
    public var name: String {
        switch self {
        case .batch(let job): job.name
        case .exec(let spec): spec.name
        }
    }
}

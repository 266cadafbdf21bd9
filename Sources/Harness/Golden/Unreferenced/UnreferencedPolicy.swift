/// What to do about golden files that no scenario captures any more.
public enum UnreferencedPolicy: String, Sendable, Equatable, CaseIterable {
    /// Report them; the run's result does not change.
    case warn
    /// Report them and fail the run.
    case fail
    /// Report and delete them.
    case delete

    /// The policy in force: the one asked for, or `warn` locally and `fail` under CI when none
    /// was asked for. `delete` becomes `fail` under CI, where nothing is written.
    public static func effective(requested: UnreferencedPolicy?, environment: RunEnvironment) -> UnreferencedPolicy {
        switch (requested, environment.isCI) {
        case (nil, false): .warn
        case (nil, true), (.delete?, true): .fail
        case (let policy?, _): policy
        }
    }
}

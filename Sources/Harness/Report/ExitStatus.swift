/// The process exit status of a `rehearse` run.
public enum ExitStatus: Int32, Sendable, Equatable {
    /// Every scenario passed.
    case passed = 0
    /// A scenario failed (or unreferenced goldens fail the run).
    case failed = 1
    /// The command line or a scenario file was wrong; nothing was judged.
    case usageError = 2

    /// `passed` when every scenario passed and unreferenced goldens do not fail the run,
    /// else `failed`. Usage and scenario-file errors are the caller's to report as
    /// ``usageError`` before any scenario runs.
    public static func of(_ reports: [ScenarioReport], unreferenced: UnreferencedGoldens? = nil) -> ExitStatus {
        reports.allSatisfy(\.passed) && !(unreferenced?.fails ?? false) ? .passed : .failed
    }
}

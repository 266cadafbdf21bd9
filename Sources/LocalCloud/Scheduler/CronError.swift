/// Why a cron schedule could not be made, or the schedule store could not be read.
public enum CronError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The expression is malformed; `field` names the part (minute, hour, …).
    case invalidExpression(expression: String, field: String, reason: String)
    /// The time zone is not a known IANA identifier.
    case unknownTimeZone(String)
    /// `advance` needs the scheduler to run on a `VirtualClock`.
    case clockIsNotVirtual
    /// `ScheduleStore(path:readOnly: true)` found a database without its tables yet: another
    /// process is creating it at this moment (or was killed doing so). Try again.
    case schedulesNotInitialised(path: String)
    /// No job of that name is scheduled.
    case unknownJob(String)

    public var description: String {
        switch self {
        case .invalidExpression(let expression, let field, let reason):
            return "invalid cron expression \(quoted(expression)) in the \(field) field: \(reason)"
        case .unknownTimeZone(let identifier):
            return "unknown time zone \(quoted(identifier)); use an IANA name such as \"Europe/Berlin\" or \"UTC\""
        case .clockIsNotVirtual:
            return "advancing the scheduler needs a VirtualClock; with a SystemClock call runDue() instead"
        case .schedulesNotInitialised(let path):
            return "the schedule store is not initialised yet: \(quoted(path)) has no tables (a process may be creating it "
                + "right now; try again)"
        case .unknownJob(let name):
            return "no job named \(quoted(name)) is scheduled"
        }
    }
}

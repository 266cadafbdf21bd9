/// Why a cron schedule could not be made.
public enum CronError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The expression is malformed; `field` names the part (minute, hour, …).
    case invalidExpression(expression: String, field: String, reason: String)
    /// The time zone is not a known IANA identifier.
    case unknownTimeZone(String)
    /// `advance` needs the scheduler to run on a `VirtualClock`.
    case clockIsNotVirtual

    public var description: String {
        switch self {
        case .invalidExpression(let expression, let field, let reason):
            return "invalid cron expression \(quoted(expression)) in the \(field) field: \(reason)"
        case .unknownTimeZone(let identifier):
            return "unknown time zone \(quoted(identifier)); use an IANA name such as \"Europe/Berlin\" or \"UTC\""
        case .clockIsNotVirtual:
            return "advancing the scheduler needs a VirtualClock; with a SystemClock call runDue() instead"
        }
    }
}

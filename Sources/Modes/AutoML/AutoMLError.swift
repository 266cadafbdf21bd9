/// Why a weekly run of the propensity loop failed. A failed run writes nothing but its alert:
/// no campaign, no outcome, no model.
public enum AutoMLError: Error, Equatable, CustomStringConvertible {
    /// A calendar must start on a Monday.
    case notAMonday(String)
    /// An export's bytes are not a valid export.
    case malformedExport(key: String, line: Int, problem: String)
    /// A week's export has not been delivered.
    case missingExport(key: String, week: Int)
    /// An object the loop wrote earlier cannot be read back.
    case malformedRecord(key: String, problem: String)
    /// Training a model failed.
    case trainingFailed(policy: String, week: Int, reason: String)
    /// The registry holds something the loop cannot use.
    case registry(String)

    public var description: String {
        switch self {
        case .notAMonday(let date):
            "weeks start on Mondays, and \(date) is not a Monday"
        case .malformedExport(let key, let line, let problem):
            "export \(key)\(line > 0 ? " line \(line)" : ""): \(problem); this week's run stops, and no model is trained or promoted on it"
        case .missingExport(let key, let week):
            "the export of week \(week) (\(key)) has not been delivered; this week's run stops until it is"
        case .malformedRecord(let key, let problem):
            "\(key) cannot be read back: \(problem)"
        case .trainingFailed(let policy, let week, let reason):
            "policy \(policy), week \(week): training failed: \(reason)"
        case .registry(let problem):
            problem
        }
    }
}

/// How a campaign picks its customers and when its model is retrained.
public enum PropensityPolicy: Sendable, Equatable {
    /// Train once, on the first training window, and keep that model.
    case never
    /// Retrain on every labelled week before each run, and always use the new model.
    case weekly
    /// Retrain when the `RetrainRule` fires; promote the challenger only if it beats the champion.
    case rule(RetrainRule)
    /// No model: the most recent buyers first.
    case recency

    /// The policy's name in scenarios, object keys and captures.
    public var name: String {
        switch self {
        case .never: "never"
        case .weekly: "weekly"
        case .rule: "rule"
        case .recency: "recency"
        }
    }

    /// The policy names a scenario may use.
    public static let names = ["never", "weekly", "rule", "recency"]

    /// Whether the policy uses a model at all.
    public var usesModel: Bool { self != .recency }
}

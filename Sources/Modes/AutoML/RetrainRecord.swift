/// One entry of a model's history in the registry: a training, why it happened, on which data,
/// and whether its model was promoted.
public struct RetrainRecord: Sendable, Equatable, Codable {
    /// The labelled weeks a model learned from.
    public struct DataWindow: Sendable, Equatable, Codable {
        /// The first week.
        public var fromWeek: Int
        /// The last week.
        public var toWeek: Int
        /// The first day of the first week, `yyyy-mm-dd`.
        public var from: String
        /// The last day of the last week, `yyyy-mm-dd`.
        public var to: String
        /// Training rows (one per eligible customer per week).
        public var rows: Int

        enum CodingKeys: String, CodingKey {
            case fromWeek = "from_week", toWeek = "to_week", from, to, rows
        }
    }

    /// The policy that trained.
    public var policy: String
    /// The week whose run trained.
    public var week: Int
    /// The virtual time of that run (ISO 8601).
    public var at: String
    /// What started it: `initial`, `weekly` or `rule`.
    public var trigger: String
    /// The data the new model learned from.
    public var data: DataWindow
    /// The new model's registry version and id.
    public var version: Int
    public var modelID: String
    /// The new model's own baseline (its metric on the last 4 weeks of its data).
    public var baselineHitRate: Double
    public var baselineLift: Double
    /// For the rule: the metric watched, its mean over the window, and the threshold it fell below.
    public var metric: String?
    public var observed: Double?
    public var threshold: Double?
    /// For a challenger: both models' metric on the comparison weeks, and the champion's version.
    public var challengerScore: Double?
    public var championScore: Double?
    public var championVersion: Int?
    /// `promoted` or `refused`.
    public var outcome: String
    /// Why, in words.
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case policy, week, at, trigger, data, version, metric, observed, threshold, outcome, reason
        case modelID = "model_id", baselineHitRate = "baseline_hit_rate", baselineLift = "baseline_lift"
        case challengerScore = "challenger_score", championScore = "champion_score", championVersion = "champion_version"
    }
}

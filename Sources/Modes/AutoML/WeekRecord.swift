/// What one policy did in one weekly run: who was eligible, which model chose the campaign,
/// and what was decided about the model.
public struct WeekRecord: Sendable, Equatable, Codable {
    /// What happened to the model this week.
    public enum Decision: String, Sendable, Codable {
        /// The first model was trained and promoted.
        case initial
        /// A challenger was trained and promoted.
        case promoted
        /// A challenger was trained and refused; the champion stays.
        case refused
        /// No retraining; the champion stays.
        case kept
        /// No model: the recency heuristic chose.
        case heuristic
    }

    /// The week.
    public var week: Int
    /// Its first day, `yyyy-mm-dd`.
    public var date: String
    /// The virtual time the run fired at (ISO 8601).
    public var at: String
    /// Eligible customers.
    public var eligible: Int
    /// Customers in the campaign.
    public var campaign: Int
    /// The registry version that chose the campaign (nil for the heuristic).
    public var modelVersion: Int?
    /// Its model id.
    public var modelID: String?
    /// What was decided.
    public var decision: Decision
    /// Why, in words.
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case week, date, at, eligible, campaign, decision, reason
        case modelVersion = "model_version", modelID = "model_id"
    }
}

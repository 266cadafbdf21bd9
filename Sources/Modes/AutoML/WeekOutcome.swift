/// How a week's campaign did, known once the week's purchases arrive.
public struct WeekOutcome: Sendable, Equatable, Codable {
    /// The campaign's week.
    public var week: Int
    /// Its first day, `yyyy-mm-dd`.
    public var date: String
    /// Customers eligible that week.
    public var eligible: Int
    /// Eligible customers who bought during the week.
    public var buyers: Int
    /// Customers in the campaign.
    public var campaign: Int
    /// Campaign customers who bought during the week.
    public var hits: Int
    /// `hits / campaign`.
    public var hitRate: Double
    /// `buyers / eligible`: what a random campaign would reach.
    public var baseRate: Double
    /// `hitRate / baseRate` (0 when nobody bought).
    public var lift: Double

    /// The outcome of `campaign` among `eligible` customers, `buyers` of whom bought.
    init(week: Int, date: String, eligible: Int, buyers: Int, campaign: Int, hits: Int) {
        self.week = week
        self.date = date
        self.eligible = eligible
        self.buyers = buyers
        self.campaign = campaign
        self.hits = hits
        hitRate = campaign == 0 ? 0 : Double(hits) / Double(campaign)
        baseRate = eligible == 0 ? 0 : Double(buyers) / Double(eligible)
        lift = baseRate == 0 ? 0 : hitRate / baseRate
    }

    /// The value of `metric`.
    func value(of metric: RetrainRule.Metric) -> Double {
        switch metric {
        case .hitRate: hitRate
        case .lift: lift
        }
    }

    enum CodingKeys: String, CodingKey {
        case week, date, eligible, buyers, campaign, hits, hitRate = "hit_rate", baseRate = "base_rate", lift
    }
}

extension WeekOutcome {
    /// The outcome of `campaign` in `snapshot`'s week, given that week's `buyers` (ascending):
    /// only buyers who were eligible count towards the base rate.
    static func of(_ campaign: Campaign, snapshot: WeekSnapshot, buyers: [Int32], date: String) -> WeekOutcome {
        let eligibleBuyers = snapshot.bought(buyers).reduce(0) { $0 + ($1 ? 1 : 0) }
        return WeekOutcome(week: snapshot.week, date: date, eligible: snapshot.count, buyers: eligibleBuyers,
                           campaign: campaign.customers.count, hits: campaign.hits(among: buyers))
    }
}

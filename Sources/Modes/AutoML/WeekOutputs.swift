import Foundation

/// A policy's campaign of one week and the bytes of the objects it writes for it
/// (`campaigns/<date>.csv`, and `scores/<date>.csv` when the settings ask for scores), made
/// from every eligible customer's score: in a week that trained a model, on other threads while
/// the registry records it (`PolicyWeek.run`).
struct WeekOutputs: Sendable {
    let campaign: Campaign
    let campaignCSV: Data
    let scoresCSV: Data?

    /// The outputs for `snapshot`'s customers ranked by `scores` (one per customer, in
    /// snapshot order).
    init(snapshot: WeekSnapshot, scores: [Double], settings: PropensityLoopSettings) {
        campaign = Campaign(size: settings.campaignSize, snapshot: snapshot, scores: scores)
        campaignCSV = CampaignCSV.write(campaign)
        scoresCSV = settings.writesScores ? ScoresCSV.write(customers: snapshot.customers, scores: scores) : nil
    }
}

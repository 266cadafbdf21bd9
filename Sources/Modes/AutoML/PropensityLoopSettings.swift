import LocalCloud
import ModelCore

/// Everything a propensity loop needs besides its cloud: where it reads and writes, how large
/// a campaign is, which weeks it runs, and the policies it compares.
///
/// Objects, in `bucket`:
///
///     <exports>/<yyyy-mm-dd>.csv                 week's purchases (delivered upstream; the week's Monday)
///     <prefix>[<policy>/]campaigns/<date>.csv    rank,customer_id,score — the top `campaignSize`
///     <prefix>[<policy>/]scores/<date>.csv       customer_id,score — every eligible customer
///     <prefix>[<policy>/]weeks/<date>.json       the run's `WeekRecord`
///     <prefix>[<policy>/]outcomes/<date>.json    the campaign's `WeekOutcome`, a week later
///     <prefix>features/<date>.csv                customer_id and the `CustomerFeatures` columns — every
///                                                eligible customer of a campaign week, if wanted
///     <prefix>alerts/<date>.json                 why a run failed
///
/// The `<policy>/` level and a `-<policy>` suffix on the model name appear only when several
/// policies run side by side; a single policy writes straight under `prefix` and registers
/// `modelName` itself.
public struct PropensityLoopSettings: Sendable {
    /// The bucket of exports, outputs and the model registry.
    public var bucket: String
    /// Where exports are delivered.
    public var exportPrefix: String
    /// Where the loop writes.
    public var prefix: String
    /// The registered model name.
    public var modelName: String
    /// Customers per campaign.
    public var campaignSize: Int
    /// Weeks 1 to this are the first training window; campaigns start the week after.
    public var trainingWeeks: Int
    /// The last campaign week (the run a week later records its outcome).
    public var lastWeek: Int
    /// The weeks.
    public var calendar: CampaignCalendar
    /// The policies, run side by side on the same data.
    public var policies: [PropensityPolicy]
    /// How models are trained.
    public var training: TabularTrainingParameters
    /// Whether every eligible customer's score is written each week, besides the campaign.
    public var writesScores: Bool
    /// Whether each campaign week's features are written (`features/<date>.csv`), for a batch
    /// job or a person to read.
    public var writesFeatures: Bool

    /// The last complete week of the CDNOW log (the week of 1998-06-22).
    public static let cdnowLastWeek = 77

    /// Settings with the defaults of the CDNOW campaign: 500 customers a week, weeks 1–12 to
    /// train, campaigns in weeks 13–77.
    public init(bucket: String, exportPrefix: String = "exports/", prefix: String = "propensity/", modelName: String = "propensity",
                campaignSize: Int = 500, trainingWeeks: Int = 12, lastWeek: Int = cdnowLastWeek, calendar: CampaignCalendar = .cdnow,
                policies: [PropensityPolicy] = [.rule(RetrainRule())], training: TabularTrainingParameters = TabularTrainingParameters(),
                writesScores: Bool = true, writesFeatures: Bool = false) {
        self.bucket = bucket
        self.exportPrefix = exportPrefix
        self.prefix = prefix
        self.modelName = modelName
        self.campaignSize = campaignSize
        self.trainingWeeks = trainingWeeks
        self.lastWeek = lastWeek
        self.calendar = calendar
        self.policies = policies
        self.training = training
        self.writesScores = writesScores
        self.writesFeatures = writesFeatures
    }

    /// The first campaign week.
    public var firstCampaignWeek: Int { trainingWeeks + 1 }

    /// Whether `schedule` fires at least once in the campaign weeks (from the first one's Monday
    /// to the last one's Sunday, UTC): a loop whose schedule never does runs no campaign at all.
    public func campaignWeeksHaveARun(on schedule: CronSchedule) -> Bool {
        let first = Int64(calendar.startDay(ofWeek: firstCampaignWeek)) * 86_400, end = Int64(calendar.startDay(ofWeek: lastWeek + 1)) * 86_400
        guard let run = schedule.nextRun(after: Instant(secondsSinceEpoch: first - 1)) else { return false }
        return run < Instant(secondsSinceEpoch: end)
    }

    /// The campaign weeks and their dates, for messages: `weeks 13–77 (1997-03-31 to 1998-06-28)`.
    public var campaignWeeksText: String {
        "weeks \(firstCampaignWeek)–\(lastWeek) (\(calendar.dateText(ofWeek: firstCampaignWeek)) to "
            + "\(CampaignCalendar.dateText(ofDay: calendar.startDay(ofWeek: lastWeek) + 6)))"
    }

    /// The key of `week`'s export.
    public func exportKey(week: Int) -> String { exportPrefix + calendar.dateText(ofWeek: week) + ".csv" }

    /// Where `policy` writes.
    public func prefix(of policy: PropensityPolicy) -> String {
        policies.count > 1 ? prefix + policy.name + "/" : prefix
    }

    /// The model name `policy` registers.
    public func modelName(of policy: PropensityPolicy) -> String {
        policies.count > 1 ? modelName + "-" + policy.name : modelName
    }

    /// The key of `week`'s features (shared by every policy).
    public func featuresKey(week: Int) -> String { prefix + "features/" + calendar.dateText(ofWeek: week) + ".csv" }

    /// The key of `policy`'s `kind` object (`campaigns`, `weeks`, …) for `week`.
    public func key(_ kind: String, policy: PropensityPolicy, week: Int, suffix: String) -> String {
        prefix(of: policy) + kind + "/" + calendar.dateText(ofWeek: week) + suffix
    }
}

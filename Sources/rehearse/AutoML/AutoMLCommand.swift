import ArgumentParser
import Corpus
import Foundation
import Harness
import LocalCloud
import Modes

/// `rehearse automl`: the weekly propensity loop against a cloud root folder, on a virtual clock.
struct AutoMLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "automl",
        abstract: "Run the weekly propensity-to-buy loop, with its retraining rule, against a local cloud.",
        discussion: """
            Rehearses automated ML on purchase data: every week (cron --cron in --time-zone, on a \
            virtual clock: 78 weeks take a few seconds, the weekly policy's 64 retrains included) an \
            upstream system delivers the week before's purchases to --bucket as \
            exports/<monday>.csv, and the loop builds each \
            eligible customer's features from purchases before the week only, records how the \
            last campaign did (hit rate, base rate, lift), retrains as each --policy says, and \
            writes the --campaign-size customers most likely to buy.

            Policies (repeat --policy to run several side by side on the same data):
              never    train once on weeks 1–--training-weeks
              weekly   retrain on every labelled week before each campaign
              rule     retrain when the mean --metric of the last --window campaigns falls below \
            the model's own baseline by more than --tolerance, at most every --min-interval weeks, \
            on --train-on weeks; promote the challenger only if it beats the champion on those weeks
              recency  no model: the most recent buyers first

            Where things go (in --bucket under --root; look with rehearse cloud ls --root DIR):
              propensity/[<policy>/]campaigns|scores|weeks|outcomes/<monday>.csv|json
              propensity/alerts/<monday>.json          why a week's run stopped
              propensity/features/<monday>.csv         each campaign week's features (with --features)
              models/propensity[-<policy>]/…           the registry: versions, production alias, history

            Runs whose week already has a record are not run again, so running the command again \
            on the same root with the same settings changes nothing (other settings on a used \
            root are refused, naming what differs; one run per root at a time). On a terminal a \
            progress line shows the weeks done and the latest hit rate; the summary per policy is \
            printed at the end, then as one JSON line.

            The models are tabular: `rehearse batch` scores them over feature files (every \
            column of the model by name, plus the id), with the probabilities the loop uses.

            Example:
              rehearse data fetch cdnow
              rehearse automl --root /tmp/shop --policy never --policy rule
              rehearse automl --root /tmp/one --features
              rehearse batch --root /tmp/one --bucket shop --model propensity@production \\
                  --input propensity/features/1998-06-22.csv --output out/ --id customer_id
            """)

    @Option(help: ArgumentHelp("The local cloud's root folder (created if missing).", valueName: "DIR"))
    var root: String

    @Option(help: ArgumentHelp("The bucket of exports, outputs and registry (created if missing).", valueName: "BUCKET"))
    var bucket = "shop"

    @Option(help: ArgumentHelp("The purchases: cdnow (the real CDNOW log) or drifting (a seeded generator whose buyers flip at week 16 of 30).", valueName: "DATA"))
    var data = "cdnow"

    @Option(name: .customLong("policy"), help: ArgumentHelp("never, weekly, rule or recency (repeatable; default rule).", valueName: "POLICY"))
    var policies: [String] = []

    @Option(parsing: .unconditional, help: ArgumentHelp("Customers per campaign.", valueName: "N"))
    var campaignSize = 500

    @Option(parsing: .unconditional, help: ArgumentHelp("Weeks 1 to N train the first model; campaigns start the week after.", valueName: "N"))
    var trainingWeeks = 12

    @Option(parsing: .unconditional, help: ArgumentHelp("The last campaign week (default and most: 77 for cdnow, 30 for drifting).", valueName: "N"))
    var lastWeek: Int?

    @Option(help: ArgumentHelp("The rule's metric: hit_rate or lift.", valueName: "METRIC"))
    var metric = "hit_rate"

    @Option(parsing: .unconditional, help: ArgumentHelp("The rule's window, in weeks.", valueName: "WEEKS"))
    var window = 2

    @Option(parsing: .unconditional, help: ArgumentHelp("How far below the baseline the rule's mean must fall.", valueName: "X"))
    var tolerance = 0.0

    @Option(parsing: .unconditional, help: ArgumentHelp("The fewest weeks between two retrains.", valueName: "WEEKS"))
    var minInterval = 4

    @Option(parsing: .unconditional, help: ArgumentHelp("What a challenger learns from: all, or the last N weeks.", valueName: "all|N"))
    var trainOn = "all"

    @Option(help: ArgumentHelp("The loop's schedule.", valueName: "CRON"))
    var cron = "0 6 * * MON"

    @Option(help: ArgumentHelp("The schedule's time zone.", valueName: "ZONE"))
    var timeZone = "Europe/Madrid"

    @Flag(help: "Write only the campaigns, not every customer's score.")
    var noScores = false

    @Flag(help: ArgumentHelp(
        "Also write each campaign week's features (propensity/features/<monday>.csv), which `rehearse batch --model propensity@production --id customer_id` can score."))
    var features = false

    func validate() throws {
        guard !root.isEmpty else { throw ValidationError("--root must name a folder") }
        do { try ObjectNaming.validate(bucket: bucket) } catch { throw ValidationError("--bucket: \(error)") }
        _ = try makeSpec()
    }

    func run() throws {
        let spec = try makeSpec()
        let rootURL = URL(fileURLWithPath: root)
        try RootLock.claim(rootURL, for: "automl")
        let purchases: [Purchase]
        switch spec.data {
        case .cdnow: purchases = try PurchaseLog.load(try CorpusFetcher().fetch(.cdnow) { Console.note($0) })
        case .drifting(let generator): purchases = generator.purchases()
        }
        // Once the data is at hand (a run that could not fetch it claims no settings), and
        // before the cloud is touched (a run with other settings changes nothing).
        try rootSettings(spec).claim(rootURL)
        let clock = VirtualClock(start: Instant(secondsSinceEpoch: Int64(spec.settings.calendar.firstMonday) * 86_400))
        let cloud = try CloudSandbox(root: rootURL, clock: clock)
        if !(try cloud.objects.bucketNames().contains(bucket)) { try cloud.objects.createBucket(bucket) }
        let session = AutoMLSession(spec: spec, purchases: purchases, store: cloud.objects, upstream: cloud.objects)
        let failure = FailureBox()
        try session.start(scheduler: cloud.scheduler, now: clock.now) { failure.record($0) }
        let progress = AutoMLProgress(settings: spec.settings, store: cloud.objects)
        let lastRun = Instant(secondsSinceEpoch: Int64(spec.settings.calendar.startDay(ofWeek: spec.settings.lastWeek + 2)) * 86_400)
        while clock.now < lastRun {
            try cloud.scheduler.advance(by: .seconds(7 * 86_400))
            if let error = failure.error { throw CommandFailure("\(error)") }
            progress.show(now: clock.now)
        }
        progress.finish()
        let report = try PropensityReport(store: cloud.objects, settings: spec.settings)
        print(AutoMLProgress.summaryTable(report))
        print(AutoMLProgress.summaryJSON(report))
    }

    /// What decides the loop's records, as `--flag value` lines (defaults filled in).
    private func rootSettings(_ spec: AutoMLSpec) -> AutoMLRootSettings {
        AutoMLRootSettings(lines: [
            "--bucket \(bucket)", "--data \(data)", "--policy " + spec.settings.policies.map(\.name).sorted().joined(separator: ","),
            "--campaign-size \(campaignSize)", "--training-weeks \(trainingWeeks)", "--last-week \(spec.settings.lastWeek)",
            "--metric \(metric)", "--window \(window)", "--tolerance \(tolerance)", "--min-interval \(minInterval)",
            "--train-on \(trainOn)", "--cron \(cron)", "--time-zone \(timeZone)", "--no-scores \(noScores)", "--features \(features)",
        ])
    }

    private func makeSpec() throws -> AutoMLSpec {
        let rule = try makeRule()
        var settings = PropensityLoopSettings(bucket: bucket, campaignSize: campaignSize, trainingWeeks: trainingWeeks)
        settings.writesScores = !noScores
        settings.writesFeatures = features
        let names = policies.isEmpty ? ["rule"] : policies
        settings.policies = try names.map { name in
            switch name {
            case "never": .never
            case "weekly": .weekly
            case "rule": .rule(rule)
            case "recency": .recency
            default: throw ValidationError("--policy is never, weekly, rule or recency, not \"\(name)\"")
            }
        }
        guard Set(names).count == names.count else { throw ValidationError("a --policy is given twice") }
        let purchaseData: AutoMLSpec.PurchaseData
        let dataWeeks: Int
        switch data {
        case "cdnow":
            purchaseData = .cdnow
            dataWeeks = PropensityLoopSettings.cdnowLastWeek
        case "drifting":
            let generator = DriftingPurchases(firstMonday: settings.calendar.firstMonday)
            purchaseData = .drifting(generator)
            dataWeeks = generator.weeks
        default:
            throw ValidationError("--data is cdnow or drifting, not \"\(data)\"")
        }
        settings.lastWeek = lastWeek ?? dataWeeks
        guard settings.lastWeek <= dataWeeks else {
            throw ValidationError("--last-week (\(settings.lastWeek)) is past the last complete week of the \(data) data (\(dataWeeks))")
        }
        guard campaignSize > 0 else { throw ValidationError("--campaign-size must be at least 1") }
        guard trainingWeeks > 0 else { throw ValidationError("--training-weeks must be at least 1, got \(trainingWeeks)") }
        guard settings.lastWeek > trainingWeeks else {
            throw ValidationError("--last-week (\(settings.lastWeek)) must come after the --training-weeks (\(trainingWeeks))")
        }
        let schedule: CronSchedule
        do { schedule = try CronSchedule(cron, timeZone: timeZone) } catch { throw ValidationError("--cron/--time-zone: \(error)") }
        guard settings.campaignWeeksHaveARun(on: schedule) else {
            throw ValidationError("--cron \"\(cron)\" never fires in the campaign \(settings.campaignWeeksText)")
        }
        return AutoMLSpec(settings: settings, data: purchaseData, schedule: schedule, missedRuns: .runLatest, exportFaults: ExportFaults())
    }

    private func makeRule() throws -> RetrainRule {
        guard let parsedMetric = RetrainRule.Metric(rawValue: metric) else { throw ValidationError("--metric is hit_rate or lift, not \"\(metric)\"") }
        guard window > 0 else { throw ValidationError("--window must be at least 1 week, got \(window)") }
        guard minInterval > 0 else { throw ValidationError("--min-interval must be at least 1 week, got \(minInterval)") }
        guard tolerance >= 0, tolerance.isFinite else { throw ValidationError("--tolerance must be a finite number of at least 0, got \(tolerance)") }
        let training: RetrainRule.TrainingWindow
        if trainOn == "all" {
            training = .all
        } else if let weeks = Int(trainOn), weeks > 0 {
            training = .lastWeeks(weeks)
        } else {
            throw ValidationError("--train-on is all or a number of weeks, not \"\(trainOn)\"")
        }
        return RetrainRule(metric: parsedMetric, windowWeeks: window, tolerance: tolerance, minIntervalWeeks: minInterval, trainOn: training)
    }
}

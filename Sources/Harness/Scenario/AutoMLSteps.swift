import Corpus
import Determinism
import LocalCloud
import ModelCore
import Modes
import Yams

/// The words of automated-ML scenarios: the `automl` section, the `outage` step and the
/// captures of the loop's weekly table, model history and policy summary.
enum AutoMLSteps {
    /// Step kinds.
    static let kinds = ["outage"]
    /// Capture kinds.
    static let captureKinds = ["weeks", "retrains", "policies"]
}

extension ScenarioBuilder {
    /// The `automl` section.
    func buildAutoML(_ node: Node, buckets: Set<String>, start: Instant) throws(ScenarioError) -> AutoMLSpec {
        let fields = try YAMLFields(node, file: file, what: "\"automl\"", allowed: [
            "bucket", "data", "model", "prefix", "exports", "first_week", "schedule", "campaign_size", "training_weeks", "last_week",
            "policies", "retrain", "scores", "features", "export_faults"])
        let bucket = try fields.requiredString("bucket")
        guard buckets.contains(bucket) else {
            throw YAMLFields.error(file, try fields.required("bucket"), "bucket \"\(bucket)\" is not declared under cloud.buckets")
        }
        var settings = PropensityLoopSettings(bucket: bucket)
        if let text = try fields.string("first_week") {
            guard let day = CampaignCalendar.day(ofDateText: Substring(text)) else {
                throw YAMLFields.error(file, try fields.required("first_week"), "\"first_week\" is a date such as 1997-01-06")
            }
            do { settings.calendar = try CampaignCalendar(firstMonday: day) } catch {
                throw YAMLFields.error(file, try fields.required("first_week"), "\"first_week\": \(error)")
            }
        }
        let firstMonday = Instant(secondsSinceEpoch: Int64(settings.calendar.firstMonday) * 86_400)
        guard start <= firstMonday else {
            throw YAMLFields.error(file, node, "the scenario starts at \(start), after week 1 (\(firstMonday)); set \"start\" to \(firstMonday) or earlier")
        }
        if let model = try fields.string("model") { settings.modelName = model }
        do { try ModelRegistry.validate(name: settings.modelName, kind: "model name") } catch {
            throw YAMLFields.error(file, fields.node("model") ?? node, "\"model\": \(error)")
        }
        settings.prefix = try automlPrefix(fields, "prefix") ?? settings.prefix
        settings.exportPrefix = try automlPrefix(fields, "exports") ?? settings.exportPrefix
        settings.campaignSize = try fields.int("campaign_size", minimum: 1) ?? settings.campaignSize
        settings.trainingWeeks = try fields.int("training_weeks", minimum: 1) ?? settings.trainingWeeks
        settings.lastWeek = try fields.int("last_week", minimum: 1) ?? settings.lastWeek
        guard settings.lastWeek >= settings.firstCampaignWeek else {
            throw YAMLFields.error(file, fields.node("last_week") ?? node,
                                   "\"last_week\" (\(settings.lastWeek)) must come after the training weeks (1–\(settings.trainingWeeks))")
        }
        settings.writesScores = try fields.bool("scores") ?? true
        settings.writesFeatures = try fields.bool("features") ?? false
        let rule = try buildRetrainRule(fields.node("retrain"))
        let names = fields.has("policies") ? try fields.strings("policies") : ["rule"]
        guard !names.isEmpty else { throw YAMLFields.error(file, try fields.required("policies"), "\"policies\" lists at least one of: \(PropensityPolicy.names.joined(separator: ", "))") }
        var policies: [PropensityPolicy] = []
        for (name, item) in zip(names, fields.has("policies") ? try fields.list("policies") : [node]) {
            switch name {
            case "never": policies.append(.never)
            case "weekly": policies.append(.weekly)
            case "rule": policies.append(.rule(rule ?? RetrainRule()))
            case "recency": policies.append(.recency)
            default: throw YAMLFields.error(file, item, "unknown policy \"\(name)\"; the policies are \(PropensityPolicy.names.joined(separator: ", "))")
            }
            if policies.dropLast().contains(policies.last!) { throw YAMLFields.error(file, item, "policy \"\(name)\" is listed twice") }
        }
        if rule != nil, !names.contains("rule") {
            throw YAMLFields.error(file, try fields.required("retrain"), "\"retrain\" configures the rule policy, which \"policies\" does not list")
        }
        settings.policies = policies
        let (schedule, missedRuns) = try buildLoopSchedule(fields.node("schedule"))
        guard settings.campaignWeeksHaveARun(on: schedule) else {
            let place = YAMLFields.child(fields.node("schedule"), "cron") ?? fields.node("schedule") ?? node
            throw YAMLFields.error(file, place, "the schedule \"\(schedule)\" never fires in the campaign \(settings.campaignWeeksText)")
        }
        let data = try buildPurchaseData(try fields.required("data"), calendar: settings.calendar)
        switch data {
        case .cdnow where settings.lastWeek > PropensityLoopSettings.cdnowLastWeek:
            throw YAMLFields.error(file, fields.node("last_week") ?? node,
                                   "\"last_week\" (\(settings.lastWeek)) is after the last complete week of the CDNOW data (\(PropensityLoopSettings.cdnowLastWeek))")
        case .drifting(let generator) where settings.lastWeek > generator.weeks:
            throw YAMLFields.error(file, fields.node("last_week") ?? node,
                                   "\"last_week\" (\(settings.lastWeek)) is after the generator's last week (\(generator.weeks)); set \"weeks\" under \"drifting\" or \"last_week\"")
        default:
            break
        }
        return AutoMLSpec(settings: settings, data: data,
                          schedule: schedule, missedRuns: missedRuns,
                          exportFaults: try buildExportFaults(fields.node("export_faults"), settings: settings))
    }

    /// `outage: 21d`.
    func buildOutageStep(_ body: Node) throws(ScenarioError) -> OutageStep {
        let text = try YAMLFields.string(body, file: file, what: "\"outage\"")
        guard let duration = DurationText.parse(text), duration > .zero else {
            throw YAMLFields.error(file, body, "\"outage\" takes how long the scheduler is down, such as 21d")
        }
        return OutageStep(duration: duration)
    }

    /// A capture of the loop: `weeks: true`, `retrains: true` or `policies: true`.
    func buildAutoMLCapture(_ kind: String, _ body: Node, automl: AutoMLSpec?) throws(ScenarioError) -> CaptureSource {
        guard case .scalar(let scalar) = body, scalar.string == "true" else {
            throw YAMLFields.error(file, body, "\"\(kind)\" takes true: it captures the automl loop's \(kind == "weeks" ? "weekly table" : kind == "retrains" ? "model histories" : "policy summary")")
        }
        guard let automl else { throw YAMLFields.error(file, body, "\"\(kind)\" captures the automl loop, and the scenario declares no \"automl\" section") }
        switch kind {
        case "weeks": return .weeks(automl)
        case "retrains": return .retrains(automl)
        default: return .policies(automl)
        }
    }

    private func automlPrefix(_ fields: YAMLFields, _ key: String) throws(ScenarioError) -> String? {
        guard let value = try fields.string(key) else { return nil }
        let prefix = value.hasSuffix("/") ? value : value + "/"
        do { try ObjectNaming.validate(key: prefix + "x") } catch {
            throw YAMLFields.error(file, try fields.required(key), "\"\(key)\" \"\(value)\" cannot begin an object key: \(error)")
        }
        return prefix
    }

    private func buildRetrainRule(_ node: Node?) throws(ScenarioError) -> RetrainRule? {
        guard let node else { return nil }
        let fields = try YAMLFields(node, file: file, what: "\"retrain\"", allowed: ["metric", "window", "below", "tolerance", "min_interval", "train_on"])
        var rule = RetrainRule()
        if let text = try fields.string("metric") {
            guard let metric = RetrainRule.Metric(rawValue: text) else {
                throw YAMLFields.error(file, try fields.required("metric"), "\"metric\" is hit_rate or lift")
            }
            rule.metric = metric
        }
        if let text = try fields.string("below"), text != "baseline" {
            throw YAMLFields.error(file, try fields.required("below"), "\"below\" is baseline: the champion's own metric on the last 4 weeks of its data")
        }
        rule.windowWeeks = try weeks(fields, "window") ?? rule.windowWeeks
        rule.minIntervalWeeks = try weeks(fields, "min_interval") ?? rule.minIntervalWeeks
        if let tolerance = try fields.double("tolerance") {
            guard tolerance >= 0 else { throw YAMLFields.error(file, try fields.required("tolerance"), "\"tolerance\" is 0 or more") }
            rule.tolerance = tolerance
        }
        if let text = try fields.string("train_on") {
            if text == "all" {
                rule.trainOn = .all
            } else if let count = Self.weekCount(text) {
                rule.trainOn = .lastWeeks(count)
            } else {
                throw YAMLFields.error(file, try fields.required("train_on"), "\"train_on\" is all or a number of weeks such as 8w")
            }
        }
        return rule
    }

    /// A whole number of weeks written `2w`.
    private func weeks(_ fields: YAMLFields, _ key: String) throws(ScenarioError) -> Int? {
        guard let text = try fields.string(key) else { return nil }
        guard let count = Self.weekCount(text) else { throw YAMLFields.error(file, try fields.required(key), "\"\(key)\" is a number of weeks such as 2w") }
        return count
    }

    private static func weekCount(_ text: String) -> Int? {
        guard text.hasSuffix("w"), let count = Int(text.dropLast()), (1...520).contains(count) else { return nil }
        return count
    }

    private func buildPurchaseData(_ node: Node, calendar: CampaignCalendar) throws(ScenarioError) -> AutoMLSpec.PurchaseData {
        if case .scalar(let scalar) = node {
            guard scalar.string == "cdnow" else {
                throw YAMLFields.error(file, node, "\"data\" is cdnow (the real CDNOW purchases) or {drifting: {…}} (a seeded generator)")
            }
            guard calendar == .cdnow else { throw YAMLFields.error(file, node, "the CDNOW data starts in week 1997-01-06; leave \"first_week\" out") }
            return .cdnow
        }
        let outer = try YAMLFields(node, file: file, what: "\"data\"", allowed: ["drifting"])
        let fields = try YAMLFields(try outer.required("drifting"), file: file, what: "\"drifting\"",
                                    allowed: ["seed", "customers", "weeks", "drift_week"])
        var generator = DriftingPurchases(firstMonday: calendar.firstMonday)
        generator.seed = try fields.int("seed").map(UInt64.init) ?? generator.seed
        generator.customers = try fields.int("customers", minimum: 10, maximum: DriftingPurchases.maximumCustomers) ?? generator.customers
        generator.weeks = try fields.int("weeks", minimum: 2, maximum: DriftingPurchases.maximumWeeks) ?? generator.weeks
        generator.driftWeek = try fields.int("drift_week", minimum: 1) ?? generator.driftWeek
        guard generator.driftWeek <= generator.weeks else {
            throw YAMLFields.error(file, fields.node("drift_week") ?? fields.node("weeks") ?? node,
                                   "\"drift_week\" (\(generator.driftWeek)) must be at most \"weeks\" (\(generator.weeks)): the drift would never happen")
        }
        return .drifting(generator)
    }

    /// The loop's schedule: by default every Monday at 06:00 in Madrid, and after an outage
    /// only the latest missed run fires (a campaign for a week gone by reaches nobody).
    private func buildLoopSchedule(_ node: Node?) throws(ScenarioError) -> (CronSchedule, MissedRunPolicy) {
        let defaults = (expression: "0 6 * * MON", zone: "Europe/Madrid")
        guard let node else { return (try! CronSchedule(defaults.expression, timeZone: defaults.zone), .runLatest) }
        let fields = try YAMLFields(node, file: file, what: "\"schedule\"", allowed: ["cron", "time_zone", "missed_runs"])
        var missed = MissedRunPolicy.runLatest
        if let text = try fields.string("missed_runs") {
            guard let policy = MissedRunPolicy(rawValue: text) else {
                throw YAMLFields.error(file, try fields.required("missed_runs"), "\"missed_runs\" is run-all, run-latest or skip-missed")
            }
            missed = policy
        }
        do {
            return (try CronSchedule(try fields.string("cron") ?? defaults.expression, timeZone: try fields.string("time_zone") ?? defaults.zone), missed)
        } catch let error as ScenarioError {
            throw error
        } catch {
            throw YAMLFields.error(file, fields.node("cron") ?? node, "\(error)")
        }
    }

    private func buildExportFaults(_ node: Node?, settings: PropensityLoopSettings) throws(ScenarioError) -> ExportFaults {
        guard let node else { return ExportFaults() }
        let fields = try YAMLFields(node, file: file, what: "\"export_faults\"", allowed: ["malformed", "missing"])
        var faults = ExportFaults()
        for key in ["malformed", "missing"] {
            for item in try fields.list(key) {
                let text = try YAMLFields.string(item, file: file, what: "a week")
                guard let week = Int(text), (1...settings.lastWeek).contains(week) else {
                    throw YAMLFields.error(file, item, "\"\(key)\" lists week numbers from 1 to \(settings.lastWeek)")
                }
                if key == "malformed" { faults.malformed.insert(week) } else { faults.missing.insert(week) }
            }
        }
        guard faults.malformed.isDisjoint(with: faults.missing) else {
            throw YAMLFields.error(file, node, "a week's export is either malformed or missing, not both")
        }
        return faults
    }
}

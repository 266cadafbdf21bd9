import Determinism
import Foundation
import JSON
import LocalCloud
import ModelCore

/// One policy's part of one weekly run: record the outcomes of earlier campaigns, decide about
/// the model, and write this week's campaign.
struct PolicyWeek {
    let loop: PropensityLoop
    let policy: PropensityPolicy
    let week: Int
    let at: Instant

    private var settings: PropensityLoopSettings { loop.settings }
    private var modelName: String { settings.modelName(of: policy) }
    private static let productionAlias = "production"

    /// The week's record, or nil when there is no campaign this week or it has run already.
    func run(history: inout PurchaseHistory) throws -> WeekRecord? {
        try recordOutcomes(history: &history)
        guard (settings.firstCampaignWeek...settings.lastWeek).contains(week),
              try loop.object(settings.key("weeks", policy: policy, week: week, suffix: ".json")) == nil,
              let snapshot = try history.snapshot(week: week)
        else { return nil }
        let choice = policy.usesModel ? try choose(history: &history) : nil
        let serving = choice?.serving.classifier
        let settings = settings
        let makeOutputs = { @Sendable in
            WeekOutputs(snapshot: snapshot, scores: serving?.probabilities(snapshot.features) ?? snapshot.recencyScores, settings: settings)
        }
        // When a model was trained, the campaign and its objects are made on other threads
        // while the registry records it; they are written after it, in the same order as ever.
        let outputs = choice?.training == nil ? nil : BackgroundWork(makeOutputs)
        let decision = try choice.map(record) ?? (.heuristic, "no model: the most recent buyers first", nil)
        let prepared = outputs?.value() ?? makeOutputs()
        try loop.putData(prepared.campaignCSV, key: settings.key("campaigns", policy: policy, week: week, suffix: ".csv"), contentType: "text/csv")
        if let scoresCSV = prepared.scoresCSV {
            try loop.putData(scoresCSV, key: settings.key("scores", policy: policy, week: week, suffix: ".csv"), contentType: "text/csv")
        }
        let record = WeekRecord(week: week, date: settings.calendar.dateText(ofWeek: week), at: at.iso8601, eligible: snapshot.count,
                                campaign: prepared.campaign.customers.count, modelVersion: decision.2?.version, modelID: decision.2?.model.modelID,
                                decision: decision.0, reason: decision.1)
        try loop.putJSON(record, key: settings.key("weeks", policy: policy, week: week, suffix: ".json"))
        return record
    }

    // MARK: Outcomes

    /// Writes the outcome of every earlier campaign whose week's purchases are now known.
    private func recordOutcomes(history: inout PurchaseHistory) throws {
        let recorded = Set(try loop.keys(under: settings.prefix(of: policy) + "outcomes/").compactMap { weekOf(key: $0) })
        for key in try loop.keys(under: settings.prefix(of: policy) + "campaigns/") {
            guard let campaignWeek = weekOf(key: key), campaignWeek < week, !recorded.contains(campaignWeek),
                  let buyers = history.buyers(week: campaignWeek), let snapshot = try history.snapshot(week: campaignWeek),
                  let data = try loop.object(key)
            else { continue }
            let campaign = try CampaignCSV.read(data, key: key)
            let outcome = WeekOutcome.of(campaign, snapshot: snapshot, buyers: buyers, date: settings.calendar.dateText(ofWeek: campaignWeek))
            try loop.putJSON(outcome, key: settings.key("outcomes", policy: policy, week: campaignWeek, suffix: ".json"))
        }
    }

    /// The recorded outcome of `week`, nil if there is none.
    private func outcome(of week: Int) throws -> WeekOutcome? {
        let key = settings.key("outcomes", policy: policy, week: week, suffix: ".json")
        guard let data = try loop.object(key) else { return nil }
        do { return try JSONDecoder().decode(WeekOutcome.self, from: data) } catch {
            throw AutoMLError.malformedRecord(key: key, problem: "\(error)")
        }
    }

    /// The week of a `…/<yyyy-mm-dd>.<suffix>` key.
    private func weekOf(key: String) -> Int? {
        guard let name = key.split(separator: "/").last, let dot = name.firstIndex(of: "."),
              let day = CampaignCalendar.day(ofDateText: name[..<dot]) else { return nil }
        return settings.calendar.week(ofDay: day)
    }

    // MARK: Decisions

    /// What `choose` decided about the model, before the registry records it (`record`).
    private struct Choice {
        let decision: WeekRecord.Decision
        /// The champion, when it stays (`kept`, `refused`).
        let champion: (version: Int, model: TabularModel)?
        /// Why, when nothing was trained.
        let reason: String?
        /// A model trained this week, to be registered.
        let training: Training?

        /// The model that chooses this week's campaign.
        var serving: TabularModel { training.flatMap { $0.promoted ? $0.trained.model : nil } ?? champion!.model }

        static func kept(_ champion: (version: Int, model: TabularModel), _ reason: String) -> Choice {
            Choice(decision: .kept, champion: champion, reason: reason, training: nil)
        }
    }

    /// A model trained this week and how its history entry tells it.
    private struct Training {
        let trained: TrainedPropensityModel
        let trigger: String
        let promoted: Bool
        /// Why, given the version the model is registered as.
        let reason: (Int) -> String
        var rule: (String, Double, Double)? = nil
        var comparison: (Double, Double, Int)? = nil
    }

    /// What to do about the model this week: keep the champion, or train a model (promoted or
    /// refused) — or, when a run of this week was stopped after the registry recorded its
    /// training (its history entry is this week's), what that run decided.
    private func choose(history: inout PurchaseHistory) throws -> Choice {
        let lastRetrain = try lastRetrainRecord()
        if let lastRetrain, lastRetrain.week == week, lastRetrain.policy == policy.name {
            return try resumeRecorded(lastRetrain)
        }
        guard let champion = try currentChampion() else {
            let trained = try train(weeks: 1...(week - 1), history: &history, warmStart: nil)
            let reason = "first model, trained on weeks 1–\(week - 1)"
            return Choice(decision: .initial, champion: nil, reason: nil,
                          training: Training(trained: trained, trigger: "initial", promoted: true, reason: { _ in reason }))
        }
        switch policy {
        case .never, .recency:
            return .kept(champion, "the never policy keeps its first model")
        case .weekly:
            let trained = try train(weeks: 1...(week - 1), history: &history, warmStart: champion.model)
            let reason = "the weekly policy retrains on weeks 1–\(week - 1) every week"
            return Choice(decision: .promoted, champion: champion, reason: nil,
                          training: Training(trained: trained, trigger: "weekly", promoted: true, reason: { _ in reason }))
        case .rule(let rule):
            return try applyRule(rule, champion: champion, lastRetrain: lastRetrain, history: &history)
        }
    }

    /// The choice a stopped run of this week made and recorded in the history, `recorded`, with
    /// its promotion completed (the run may have stopped before moving the alias): nothing is
    /// trained again, so the week ends as it would have, with no second training.
    private func resumeRecorded(_ recorded: RetrainRecord) throws -> Choice {
        let registry = loop.registry
        let promoted = recorded.outcome == "promoted"
        if promoted { try registry.setAlias(Self.productionAlias, name: modelName, version: recorded.version) }
        guard let serving = try currentChampion() else {
            throw AutoMLError.registry("model \(modelName) has no \(Self.productionAlias) alias, though its history records version \(recorded.version)")
        }
        let decision: WeekRecord.Decision = recorded.trigger == "initial" ? .initial : promoted ? .promoted : .refused
        return Choice(decision: decision, champion: serving, reason: recorded.reason, training: nil)
    }

    /// Registers the model `choice` trained, if any — appending its history entry, then moving
    /// `production` to it when it is promoted — and returns what was decided, why, and the model
    /// that chose the campaign with its version.
    ///
    /// The order makes a stopped run harmless: stopped before the history entry, the week is
    /// decided again from the same champion and data, and the same model is found registered
    /// (`ModelRegistry.register` takes an equal model's version); stopped after it, the week
    /// resumes what the entry says (`resumeRecorded`).
    private func record(_ choice: Choice) throws -> (WeekRecord.Decision, String, (version: Int, model: TabularModel)?) {
        guard let training = choice.training else { return (choice.decision, choice.reason!, choice.champion) }
        let registry = loop.registry
        let version = try registry.register(training.trained.model, name: modelName)
        let reason = training.reason(version)
        try appendHistory(training.trained, version: version, trigger: training.trigger, outcome: training.promoted ? "promoted" : "refused",
                          reason: reason, rule: training.rule, comparison: training.comparison)
        if training.promoted { try registry.setAlias(Self.productionAlias, name: modelName, version: version) }
        return (choice.decision, reason, training.promoted ? (version, training.trained.model) : choice.champion)
    }

    /// The retraining rule: fire when the watched metric falls below the champion's baseline,
    /// then promote the challenger only if it beats the champion on the same weeks.
    private func applyRule(_ rule: RetrainRule, champion: (version: Int, model: TabularModel), lastRetrain: RetrainRecord?,
                           history: inout PurchaseHistory) throws -> Choice {
        let lastTraining = lastRetrain?.week ?? 0
        guard week - lastTraining >= rule.minIntervalWeeks else {
            return .kept(champion, "last trained in week \(lastTraining), less than \(rule.minIntervalWeeks) weeks ago")
        }
        let windowWeeks = Array((week - rule.windowWeeks)..<week)
        let outcomes = try windowWeeks.compactMap { try outcome(of: $0) }
        guard outcomes.count == rule.windowWeeks else {
            return .kept(champion, "only \(outcomes.count) of weeks \(windowWeeks.first!)–\(windowWeeks.last!) have an outcome; the rule needs \(rule.windowWeeks)")
        }
        let observed = TrainedPropensityModel.mean(rule.metric, of: outcomes)
        let baseline = champion.model.metadata.evaluation[TrainedPropensityModel.baselineKey(rule.metric)] ?? 0
        let threshold = baseline - rule.tolerance
        let metricName = rule.metric.rawValue
        guard observed < threshold else {
            return .kept(champion, "\(metricName) \(Self.figure(observed)) over weeks \(windowWeeks.first!)–\(windowWeeks.last!) is not below \(Self.figure(threshold))")
        }
        let firstWeek = switch rule.trainOn {
        case .all: 1
        case .lastWeeks(let count): max(1, week - count)
        }
        // The latest model trained — the champion, or a challenger refused since — holds the
        // checkpoint nearest these rows. It is only where Newton starts (any start reaches the
        // same optimum), so the champion stands in if it cannot be read.
        let latest = lastRetrain.flatMap { $0.version == champion.version ? nil : try? loop.registry.resolveTabular(
            name: modelName, aliasOrVersion: String($0.version)).model }
        let challenger = try train(weeks: firstWeek...(week - 1), history: &history, warmStart: latest ?? champion.model)
        let challengerScore = TrainedPropensityModel.mean(rule.metric, of: try TrainedPropensityModel.outcomes(
            of: challenger.model.classifier, weeks: windowWeeks, history: &history, settings: settings))
        let championScore = TrainedPropensityModel.mean(rule.metric, of: try TrainedPropensityModel.outcomes(
            of: champion.model.classifier, weeks: windowWeeks, history: &history, settings: settings))
        let promoted = challengerScore > championScore
        let reason = { (version: Int) in
            "\(metricName) \(Self.figure(observed)) fell below \(Self.figure(threshold)); "
                + "challenger v\(version) \(metricName) \(Self.figure(challengerScore)) vs champion v\(champion.version) \(Self.figure(championScore)) on weeks \(windowWeeks.first!)–\(windowWeeks.last!)"
        }
        return Choice(decision: promoted ? .promoted : .refused, champion: champion, reason: nil,
                      training: Training(trained: challenger, trigger: "rule", promoted: promoted, reason: reason,
                                         rule: (metricName, observed, threshold), comparison: (challengerScore, championScore, champion.version)))
    }

    /// The model `production` points at, nil before the first training.
    private func currentChampion() throws -> (version: Int, model: TabularModel)? {
        let registry = loop.registry
        guard try registry.aliasVersion(name: modelName, alias: Self.productionAlias) != nil else { return nil }
        return try registry.resolveTabular(name: modelName, aliasOrVersion: Self.productionAlias)
    }

    /// The latest training in the model's history.
    private func lastRetrainRecord() throws -> RetrainRecord? {
        guard let last = try loop.registry.lastHistoryEntry(name: modelName) else { return nil }
        do { return try JSONDecoder().decode(RetrainRecord.self, from: last) } catch {
            throw AutoMLError.registry("the last history entry of model \(modelName) cannot be read: \(error)")
        }
    }

    /// A model trained on `weeks`, with its baseline, starting from `warmStart` if given.
    private func train(weeks: ClosedRange<Int>, history: inout PurchaseHistory, warmStart: TabularModel?) throws -> TrainedPropensityModel {
        do {
            return try TrainedPropensityModel(weeks: weeks, history: &history, settings: settings, warmStart: warmStart)
        } catch let error as AutoMLError {
            throw error
        } catch {
            throw AutoMLError.trainingFailed(policy: policy.name, week: week, reason: "\(error)")
        }
    }

    private func appendHistory(_ trained: TrainedPropensityModel, version: Int, trigger: String, outcome: String, reason: String,
                               rule: (String, Double, Double)? = nil, comparison: (Double, Double, Int)? = nil) throws {
        let record = RetrainRecord(
            policy: policy.name, week: week, at: at.iso8601, trigger: trigger, data: trained.window, version: version,
            modelID: trained.model.modelID, baselineHitRate: trained.baselineHitRate, baselineLift: trained.baselineLift,
            metric: rule?.0, observed: rule?.1, threshold: rule?.2,
            challengerScore: comparison?.0, championScore: comparison?.1, championVersion: comparison?.2,
            outcome: outcome, reason: reason)
        try loop.registry.appendHistory(Data(try JSONValue(encoding: record).canonicalText.utf8), name: modelName)
    }

    // MARK: Reasons

    /// A figure in a reason: 4 decimals.
    static func figure(_ value: Double) -> String { CanonicalNumber.text(CanonicalNumber.rounded(value, toDecimals: 4)) }
}

import Determinism
import ModelCore

/// A propensity model trained on a run of labelled weeks — one row per eligible customer per
/// week, labelled by whether they bought that week — with its baseline: its own hit rate and
/// lift on the last 4 weeks of that data, stored in the artifact's evaluation figures.
struct TrainedPropensityModel {
    /// The artifact.
    let model: TabularModel
    /// The data it learned from.
    let window: RetrainRecord.DataWindow
    /// Its mean hit rate on the last 4 weeks of its data.
    let baselineHitRate: Double
    /// Its mean lift on the same weeks.
    let baselineLift: Double

    /// The evaluation key of the baseline for `metric`.
    static func baselineKey(_ metric: RetrainRule.Metric) -> String { "baseline_" + metric.rawValue }

    /// Trains on `weeks` of `history`, Newton starting from `warmStart` (an earlier model of the
    /// loop) if given: the same optimum, within the trainer's tolerance, in fewer steps. When
    /// that model was trained on the first of these rows (its training data's hash is theirs)
    /// and stored its `NewtonCheckpoint`, Newton starts there and its first step sums only the
    /// rows after them. The model stores its own checkpoint, for the next training.
    init(weeks: ClosedRange<Int>, history: inout PurchaseHistory, settings: PropensityLoopSettings, warmStart: TabularModel?) throws {
        let run: LabelledWeeks
        do {
            run = try history.labelledWeeks(weeks)
        } catch let missing as PurchaseHistory.MissingWeek {
            throw AutoMLError.missingExport(key: settings.exportKey(week: missing.week), week: missing.week)
        }
        let calendar = settings.calendar
        window = RetrainRecord.DataWindow(fromWeek: weeks.lowerBound, toWeek: weeks.upperBound,
                                          from: calendar.dateText(ofWeek: weeks.lowerBound),
                                          to: CampaignCalendar.dateText(ofDay: calendar.startDay(ofWeek: weeks.upperBound) + 6),
                                          rows: run.rows.rowCount)
        let (classifier, checkpoint) = try TabularTrainer.train(
            run.rows, parameters: settings.training, resuming: Self.checkpoint(of: warmStart, startingRowsOf: run, settings: settings),
            initial: warmStart?.classifier)
        let baselineWeeks = Array(max(weeks.lowerBound, weeks.upperBound - 3)...weeks.upperBound)
        let baseline = try Self.outcomes(of: classifier, weeks: baselineWeeks, history: &history, settings: settings)
        baselineHitRate = Self.mean(.hitRate, of: baseline)
        baselineLift = Self.mean(.lift, of: baseline)
        let source = "purchases of weeks \(weeks.lowerBound)–\(weeks.upperBound) (\(window.from) to \(window.to))"
        let metadata = TabularModelMetadata(
            parameters: settings.training, trainingData: run.summary(source: source),
            evaluation: [Self.baselineKey(.hitRate): baselineHitRate, Self.baselineKey(.lift): baselineLift])
        model = TabularModel(metadata: metadata, classifier: classifier, checkpoint: checkpoint)
    }

    /// `model`'s checkpoint, when the rows it was made on are the first rows of `run` (their
    /// hash is the one its training data records) and the trainer can resume from it.
    private static func checkpoint(of model: TabularModel?, startingRowsOf run: LabelledWeeks,
                                   settings: PropensityLoopSettings) -> NewtonCheckpoint? {
        guard let model, let checkpoint = model.checkpoint, !settings.training.balancesLabels,
              checkpoint.rows == model.metadata.trainingData.rows,
              run.hash(ofFirst: checkpoint.rows) == model.metadata.trainingData.sha256 else { return nil }
        return checkpoint
    }

    /// The outcomes over `weeks` of the campaigns `classifier` would have chosen. The weeks are
    /// scored at once, one per core (each on its own, so the outcomes are the same on any number).
    static func outcomes(of classifier: TabularClassifier, weeks: [Int], history: inout PurchaseHistory,
                         settings: PropensityLoopSettings) throws -> [WeekOutcome] {
        let inputs = try weeks.map { week in
            guard let snapshot = try history.snapshot(week: week), let buyers = history.buyers(week: week) else {
                throw AutoMLError.missingExport(key: settings.exportKey(week: week), week: week)
            }
            return (snapshot: snapshot, buyers: buyers, date: settings.calendar.dateText(ofWeek: week))
        }
        let campaignSize = settings.campaignSize
        return ParallelWork.map(count: inputs.count, threads: ParallelWork.availableCores, makeState: {}) { index, _ in
            let (snapshot, buyers, date) = inputs[index]
            let campaign = Campaign(size: campaignSize, snapshot: snapshot, scores: classifier.probabilities(snapshot.features))
            return WeekOutcome.of(campaign, snapshot: snapshot, buyers: buyers, date: date)
        }
    }

    /// The mean of `metric` over `outcomes` (0 for none).
    static func mean(_ metric: RetrainRule.Metric, of outcomes: [WeekOutcome]) -> Double {
        outcomes.isEmpty ? 0 : outcomes.map { $0.value(of: metric) }.reduce(0, +) / Double(outcomes.count)
    }
}

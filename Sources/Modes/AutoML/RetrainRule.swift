/// When the `rule` policy retrains, written as data in a scenario:
///
/// ```yaml
/// retrain:
///   metric: hit_rate      # or lift (hit rate ÷ base rate)
///   window: 2w            # the mean of the last 2 weeks with an outcome…
///   below: baseline       # …below the champion's own baseline…
///   tolerance: 0.0        # …by more than this…
///   min_interval: 4w      # …at least 4 weeks after the last retrain (promoted or not)
///   train_on: all         # the challenger learns from every labelled week (or the last N: 8w)
/// ```
/// The baseline is the champion's own metric on the last 4 weeks of its training window,
/// stored in its registry metadata. A challenger is promoted only if it reaches more on the
/// rule's window weeks than the champion does.
public struct RetrainRule: Sendable, Equatable {
    /// What the rule watches.
    public enum Metric: String, Sendable, CaseIterable {
        /// The share of the campaign who bought.
        case hitRate = "hit_rate"
        /// The hit rate divided by the base rate (the share of all eligible customers who bought).
        case lift
    }

    /// Which labelled weeks a model learns from.
    public enum TrainingWindow: Sendable, Equatable {
        /// Every week from 1 to the last one with an outcome.
        case all
        /// The last this many weeks with an outcome.
        case lastWeeks(Int)
    }

    /// The metric compared with the baseline.
    public var metric: Metric
    /// How many of the latest weeks with an outcome are averaged.
    public var windowWeeks: Int
    /// How far below the baseline the mean must fall to fire (0: any amount).
    public var tolerance: Double
    /// The fewest weeks between two retrains.
    public var minIntervalWeeks: Int
    /// What a challenger learns from.
    public var trainOn: TrainingWindow

    /// The course's rule: hit rate below baseline over 2 weeks, at most every 4 weeks, on all data.
    public init(metric: Metric = .hitRate, windowWeeks: Int = 2, tolerance: Double = 0, minIntervalWeeks: Int = 4, trainOn: TrainingWindow = .all) {
        self.metric = metric
        self.windowWeeks = windowWeeks
        self.tolerance = tolerance
        self.minIntervalWeeks = minIntervalWeeks
        self.trainOn = trainOn
    }
}

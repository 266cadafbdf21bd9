/// Everything that decides what a training run produces, besides the data.
///
/// Same data and same parameters give a byte-identical model.
public struct TrainingParameters: Sendable, Equatable, Codable {
    /// Which classifier to train.
    public var algorithm: Algorithm
    /// How features are hashed.
    public var hashing: FeatureHashing
    /// How the tokenizer behaves.
    public var tokenizer: TweetTokenizer
    /// Seeds the shuffling of examples between epochs (logistic regression).
    public var seed: UInt64
    /// Passes over the training data (logistic regression).
    public var epochs: Int
    /// AdaGrad's base step size (logistic regression).
    public var learningRate: Double
    /// L2 penalty applied to each weight an example touches (logistic regression).
    public var l2: Double
    /// Whether each example's loss is weighted by `n / (labels × n_label)`, so rare labels count
    /// as much as common ones (logistic regression; helps macro-F1).
    public var balancesLabels: Bool
    /// Whether the final weights are the average of the weights after every step (Polyak–Ruppert
    /// averaging, computed lazily), which generalises better than the last step's (logistic regression).
    public var averagesWeights: Bool
    /// Additive smoothing of feature counts (naive Bayes).
    public var smoothing: Double

    /// The defaults, tuned on a validation slice carved out of the training split.
    public init(
        algorithm: Algorithm,
        hashing: FeatureHashing = FeatureHashing(),
        tokenizer: TweetTokenizer = TweetTokenizer(),
        seed: UInt64 = 42,
        epochs: Int = 12,
        learningRate: Double = 0.1,
        l2: Double = 1e-5,
        balancesLabels: Bool = true,
        averagesWeights: Bool = true,
        smoothing: Double = 0.5
    ) {
        self.algorithm = algorithm
        self.hashing = hashing
        self.tokenizer = tokenizer
        self.seed = seed
        self.epochs = epochs
        self.learningRate = learningRate
        self.l2 = l2
        self.balancesLabels = balancesLabels
        self.averagesWeights = averagesWeights
        self.smoothing = smoothing
    }

    /// What is wrong with these parameters, or nil if they can be trained with.
    public var problem: SettingProblem? {
        if let problem = hashing.problem { return problem }
        switch algorithm {
        case .logisticRegression:
            if !(1...10_000).contains(epochs) { return SettingProblem(.epochs, "must be from 1 to 10000, got \(epochs)") }
            if !(learningRate > 0 && learningRate <= 100) {
                return SettingProblem(.learningRate, "must be in (0, 100], got \(learningRate)")
            }
            if !(l2 >= 0 && l2 <= 100) { return SettingProblem(.l2, "must be in [0, 100], got \(l2)") }
        case .naiveBayes:
            if !(smoothing > 0 && smoothing <= 1_000) { return SettingProblem(.smoothing, "must be in (0, 1000], got \(smoothing)") }
        }
        return nil
    }

    enum CodingKeys: String, CodingKey {
        case algorithm, hashing, tokenizer, seed, epochs, learningRate = "learning_rate", l2
        case balancesLabels = "balances_labels", averagesWeights = "averages_weights", smoothing
    }
}

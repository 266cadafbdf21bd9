/// Trains a text classifier from labelled examples.
public enum Trainer {
    /// The classifier that `parameters.algorithm` learns from `examples`.
    /// - Throws: `TrainingError` when there is nothing to learn from.
    public static func train(_ examples: [LabeledText], parameters: TrainingParameters) throws -> LinearTextClassifier {
        guard !examples.isEmpty else { throw TrainingError.noExamples }
        guard parameters.epochs >= 1 else { throw TrainingError.invalidParameter("epochs must be at least 1, got \(parameters.epochs)") }
        guard parameters.learningRate > 0 else { throw TrainingError.invalidParameter("learning rate must be positive, got \(parameters.learningRate)") }
        guard parameters.l2 >= 0 else { throw TrainingError.invalidParameter("l2 must not be negative, got \(parameters.l2)") }
        guard parameters.smoothing > 0 else { throw TrainingError.invalidParameter("smoothing must be positive, got \(parameters.smoothing)") }
        let data = HashedExamples(examples, tokenizer: parameters.tokenizer, hashing: parameters.hashing)
        guard data.labels.count >= 2 else { throw TrainingError.singleLabel(data.labels.first ?? "") }
        switch parameters.algorithm {
        case .naiveBayes: return NaiveBayesTrainer.train(data, parameters: parameters)
        case .logisticRegression: return LogisticRegressionTrainer.train(data, parameters: parameters)
        }
    }
}

/// Trains a text classifier from labelled examples.
public enum Trainer {
    /// The classifier that `parameters.algorithm` learns from `examples`.
    /// - Throws: `TrainingError` when there is nothing to learn from, a parameter is out of
    ///   range, or training diverged (a weight is not finite).
    public static func train(_ examples: [LabeledText], parameters: TrainingParameters) throws -> LinearTextClassifier {
        guard !examples.isEmpty else { throw TrainingError.noExamples }
        if let problem = parameters.problem { throw TrainingError.invalidParameter(problem.description) }
        let data = HashedExamples(examples, tokenizer: parameters.tokenizer, hashing: parameters.hashing)
        guard data.labels.count >= 2 else { throw TrainingError.singleLabel(data.labels.first ?? "") }
        let classifier = switch parameters.algorithm {
        case .naiveBayes: NaiveBayesTrainer.train(data, parameters: parameters)
        case .logisticRegression: LogisticRegressionTrainer.train(data, parameters: parameters)
        }
        guard classifier.biases.allSatisfy(\.isFinite), classifier.table.allSatisfy(\.isFinite) else {
            throw TrainingError.diverged
        }
        return classifier
    }
}

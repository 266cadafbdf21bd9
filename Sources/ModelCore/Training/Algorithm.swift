/// The text classifiers Rehearsal can train.
public enum Algorithm: String, Sendable, Codable, CaseIterable {
    /// Multinomial naive Bayes with additive (Laplace/Lidstone) smoothing over feature counts.
    case naiveBayes = "nb"
    /// Softmax (multinomial) logistic regression with L2, trained by AdaGrad SGD on TF-IDF features.
    case logisticRegression = "logreg"
}

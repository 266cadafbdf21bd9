/// How a text's features are valued before they meet the weights.
public enum FeatureWeighting: String, Sendable, Codable, CaseIterable {
    /// Each occurrence of a feature counts 1 (naive Bayes: the log-likelihood of the counts).
    case counts
    /// Each occurrence counts its feature's inverse document frequency (times its hash sign), and
    /// the text's scores are divided by the square root of the summed squared values of its
    /// occurrences — L2 normalisation of the vector before repeated features are merged
    /// (logistic regression).
    case tfidf
}

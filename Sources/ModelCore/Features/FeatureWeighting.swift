/// How a text's features are valued before they meet the weights.
public enum FeatureWeighting: String, Sendable, Codable, CaseIterable {
    /// Each occurrence of a feature counts 1 (naive Bayes: the log-likelihood of the counts).
    case counts
    /// Each occurrence counts its feature's inverse document frequency, and the text's vector is
    /// scaled to unit Euclidean length (logistic regression: TF-IDF with L2 normalisation).
    case tfidf
}

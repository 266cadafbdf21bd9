/// The aggregate of some of a window's elements: how many, how many per label, and the sum of
/// their scores added in element order (so the mean is the same bits on every run).
struct PaneContents: Sendable, Equatable, Codable {
    var count = 0
    var counts: [String: Int] = [:]
    var scoreSum = 0.0

    private enum CodingKeys: String, CodingKey {
        case count, counts, scoreSum = "score_sum"
    }

    mutating func add(label: String, score: Double) {
        count += 1
        counts[label, default: 0] += 1
        scoreSum += score
    }

    /// The mean score (only asked of non-empty contents).
    var meanScore: Double { scoreSum / Double(count) }
}

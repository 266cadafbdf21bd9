/// The aggregate of some of a window's elements: how many, how many per label, and the sum of
/// their scores added in element order (so the mean is the same bits on every run).
struct PaneContents: Sendable, Codable {
    var count = 0
    var scoreSum = 0.0
    /// Per label, in the order the labels first came. A model has a handful of labels, so a
    /// search of this beats hashing each element's label into a dictionary.
    private var labelCounts: [(label: String, count: Int)] = []

    private enum CodingKeys: String, CodingKey {
        case count, counts, scoreSum = "score_sum"
    }

    init() {}

    mutating func add(label: String, score: Double) {
        count += 1
        if let slot = labelCounts.firstIndex(where: { $0.label == label }) {
            labelCounts[slot].count += 1
        } else {
            labelCounts.append((label, 1))
        }
        scoreSum += score
    }

    /// How many elements per label.
    var counts: [String: Int] {
        Dictionary(uniqueKeysWithValues: labelCounts.map { ($0.label, $0.count) })
    }

    /// The mean score (only asked of non-empty contents).
    var meanScore: Double { scoreSum / Double(count) }

    /// Encodes `counts` as an object of label to count.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(count, forKey: .count)
        try container.encode(counts, forKey: .counts)
        try container.encode(scoreSum, forKey: .scoreSum)
    }

    /// Decodes what `encode(to:)` wrote; labels are taken in sorted order.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        count = try container.decode(Int.self, forKey: .count)
        labelCounts = try container.decode([String: Int].self, forKey: .counts).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        scoreSum = try container.decode(Double.self, forKey: .scoreSum)
    }
}

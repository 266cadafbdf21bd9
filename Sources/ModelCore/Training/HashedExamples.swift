/// A training set after tokenizing and hashing: every example's bucket indices, flattened.
struct HashedExamples {
    /// The labels, sorted.
    let labels: [String]
    /// `labelIndices[i]`: the index in `labels` of example `i`'s label.
    let labelIndices: [Int]
    /// The bucket indices of every example, one after another.
    let indices: [Int32]
    /// Example `i`'s indices are `indices[starts[i]..<starts[i + 1]]`.
    let starts: [Int]

    init(_ examples: [LabeledText], tokenizer: TweetTokenizer, hashing: FeatureHashing) {
        labels = Set(examples.map(\.label)).sorted()
        let labelIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        labelIndices = examples.map { labelIndex[$0.label]! }
        var indices: [Int32] = []
        var starts = [0]
        var tokens = TokenBuffer()
        for example in examples {
            tokenizer.tokenize(example.text, into: &tokens)
            hashing.forEachFeature(of: tokens) { indices.append($0) }
            starts.append(indices.count)
        }
        self.indices = indices
        self.starts = starts
    }

    var count: Int { labelIndices.count }

    func range(of example: Int) -> Range<Int> { starts[example]..<starts[example + 1] }

    /// How many examples carry each label.
    var labelCounts: [Int] {
        var counts = [Int](repeating: 0, count: labels.count)
        for label in labelIndices { counts[label] += 1 }
        return counts
    }
}

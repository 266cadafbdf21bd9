/// A linear classifier over hashed text features: the scorer shared by naive Bayes and logistic
/// regression, and so by every inference mode.
///
/// For a text, the tokenizer gives tokens, feature hashing gives bucket indices, and each
/// occurrence of a bucket adds `value × weight[bucket][label]` to that label's logit, where the
/// value is 1 (`counts`) or the bucket's IDF times the feature's hash sign, with the sums divided
/// by the square root of the summed squared values of all occurrences (`tfidf`; an occurrence
/// counts on its own, so this is the L2 norm of the unmerged vector). The logits plus biases go through softmax to give probabilities.
///
/// Scoring is done in a fixed order in `Float`, then `Double`, so the same text and model give
/// the same bits on every call, thread and mode.
public struct LinearTextClassifier: Sendable, Equatable {
    /// The labels, in a fixed order (sorted when trained).
    public let labels: [String]
    /// The tokenizer the model was trained with.
    public let tokenizer: TweetTokenizer
    /// The feature hashing the model was trained with.
    public let hashing: FeatureHashing
    /// How feature occurrences are valued.
    public let weighting: FeatureWeighting
    /// Per bucket, `labels.count + 1` floats: the bucket's feature value (its IDF; 1 with
    /// `counts`), then one weight per label. Interleaved so one bucket is one memory access.
    public let table: [Float]
    /// One bias per label.
    public let biases: [Float]

    /// For three labels and `tfidf`, the table as scoring reads it: per bucket the IDF squared,
    /// then the IDF times each weight (empty otherwise). A second copy of the table (16 MiB for
    /// the default model) that saves scoring a multiply and a shuffle per feature; see
    /// `scaledRows(of:)`.
    private let scaledRows: [Float]
    private let positiveIndex: Int?
    private let negativeIndex: Int?

    /// A classifier from its parts; `table` must hold `hashing.buckets × (labels.count + 1)`
    /// floats and `biases` one per label.
    public init(
        labels: [String], tokenizer: TweetTokenizer, hashing: FeatureHashing,
        weighting: FeatureWeighting, table: [Float], biases: [Float]
    ) {
        precondition(labels.count >= 2, "a classifier needs at least two labels")
        precondition(table.count == hashing.buckets * (labels.count + 1), "weight table has the wrong size")
        precondition(biases.count == labels.count, "one bias per label")
        self.labels = labels
        self.tokenizer = tokenizer
        self.hashing = hashing
        self.weighting = weighting
        self.table = table
        self.biases = biases
        scaledRows = labels.count == 3 && weighting == .tfidf ? Self.scaledRows(of: table) : []
        positiveIndex = labels.firstIndex(of: "positive")
        negativeIndex = labels.firstIndex(of: "negative")
    }

    /// Floats per bucket in `table`.
    public var stride: Int { labels.count + 1 }

    /// The prediction for `text`, labelled with `modelID`.
    public func predict(_ text: String, modelID: String, workspace: inout PredictionWorkspace) -> Prediction {
        let best = classify(text, workspace: &workspace)
        return Prediction(label: labels[best], labels: labels, probabilities: workspace.probabilities,
                          score: score(probabilities: workspace.probabilities), modelID: modelID)
    }

    /// Scores `text` and returns the index in `labels` of the most probable label (the first on
    /// a tie), leaving the probabilities in `workspace.probabilities`. The numbers are exactly
    /// `predict`'s, but no `Prediction` is built (and for three labels, the common case,
    /// nothing is allocated once the workspace has grown): for hot loops such as batch inference.
    public func classify(_ text: String, workspace: inout PredictionWorkspace) -> Int {
        var text = text
        return text.withUTF8 { classify(utf8: $0, workspace: &workspace) }
    }

    /// `classify` for text given as well-formed UTF-8 bytes (as a `String`'s are).
    public func classify(utf8 text: UnsafeBufferPointer<UInt8>, workspace: inout PredictionWorkspace) -> Int {
        computeLogits(utf8: text, workspace: &workspace)
        Softmax.probabilities(workspace.logits, into: &workspace.probabilities)
        var best = 0
        for label in 1..<workspace.probabilities.count where workspace.probabilities[label] > workspace.probabilities[best] {
            best = label
        }
        return best
    }

    /// P(positive) − P(negative) for `probabilities` in label order; 0 when the model has no
    /// such labels.
    public func score(probabilities: [Double]) -> Double {
        guard let positive = positiveIndex, let negative = negativeIndex else { return 0 }
        return probabilities[positive] - probabilities[negative]
    }

    /// Fills `workspace.logits` with one logit per label for the UTF-8 bytes `text`.
    func computeLogits(utf8 text: UnsafeBufferPointer<UInt8>, workspace: inout PredictionWorkspace) {
        tokenizer.tokenize(utf8: text, into: &workspace.tokens)
        if labels.count == 3 {
            accumulateThreeLabels(workspace: &workspace)
        } else {
            accumulateAnyLabels(workspace: &workspace)
        }
    }

    /// The common case, one SIMD row per bucket: for `counts` the table's row (value 1, then
    /// three weights), for `tfidf` the scaled row (see `scaledRows(of:)`), whose weights' signs
    /// are flipped for a negative feature. All features are hashed first, each one's row
    /// prefetched as it is hashed, then scored in a tight loop: the table is larger than the
    /// caches, and so the rows arrive while hashing goes on (scoring each feature as it was
    /// hashed kept the reads waiting).
    private func accumulateThreeLabels(workspace: inout PredictionWorkspace) {
        var sum = SIMD4<Float>()
        var sumOfSquares: Float = 0
        let usesIDF = weighting == .tfidf
        (usesIDF ? scaledRows : table).withUnsafeBytes { rows in
            let featureCount = hashing.writeIndices(
                of: workspace.tokens, into: &workspace.indices, prefetchingRowsAt: rows.baseAddress, rowBytes: 16)
            workspace.indices.withUnsafeBufferPointer { indices in
                // One loop per weighting, so the loop itself does not test which it is.
                if usesIDF {
                    Self.signFlips.withUnsafeBufferPointer { flips in
                        for index in indices[..<featureCount] {
                            let row = rows.loadUnaligned(fromByteOffset: FeatureHashing.bucket(of: index) &* 16, as: SIMD4<UInt32>.self)
                            sum += unsafeBitCast(row ^ flips[Int(UInt32(bitPattern: index) &>> 31)], to: SIMD4<Float>.self)
                        }
                    }
                    sumOfSquares = sum[0]
                } else {
                    for index in indices[..<featureCount] {
                        sum += rows.loadUnaligned(fromByteOffset: FeatureHashing.bucket(of: index) &* 16, as: SIMD4<Float>.self)
                    }
                }
            }
        }
        let scale = scaleFactor(sumOfSquares: sumOfSquares)
        // Overwritten in place once the workspace holds three logits: clearing and appending
        // cost a call and a uniqueness check per label on every text.
        if workspace.logits.count != 3 { workspace.logits = [0, 0, 0] }
        for label in 0..<3 {
            workspace.logits[label] = Double(biases[label]) + Double(sum[label + 1]) * scale
        }
    }

    /// `scaledRows` from a table: a feature's value is ±IDF, so its row's contribution, (value²,
    /// value × each weight), is this row with the weights' signs flipped for a negative feature —
    /// the same bits as multiplying at scoring time (negating is exact, rounding symmetric), so
    /// lane 0 of the sum is the sum of squared values, in the same order.
    private static func scaledRows(of table: [Float]) -> [Float] {
        var scaled = [Float](repeating: 0, count: table.count)
        for base in Swift.stride(from: 0, to: table.count, by: 4) {
            let idf = table[base]
            for lane in 0..<4 { scaled[base + lane] = idf * table[base + lane] }
        }
        return scaled
    }

    /// XOR masks for a scaled row: none for a positive feature, the weights' sign bits for a
    /// negative one (indexed by the signed bucket's sign bit).
    private static let signFlips: [SIMD4<UInt32>] = [SIMD4(0, 0, 0, 0), SIMD4(0, 0x8000_0000, 0x8000_0000, 0x8000_0000)]

    /// Any other number of labels: the same sums in the same order, one label at a time, with the
    /// rows prefetched and the signs applied as in `accumulateThreeLabels`.
    private func accumulateAnyLabels(workspace: inout PredictionWorkspace) {
        let labelCount = labels.count
        let stride = self.stride
        let usesIDF = weighting == .tfidf
        var sums = [Float](repeating: 0, count: labelCount)
        var sumOfSquares: Float = 0
        table.withUnsafeBufferPointer { table in
            let featureCount = hashing.writeIndices(
                of: workspace.tokens, into: &workspace.indices,
                prefetchingRowsAt: UnsafeRawPointer(table.baseAddress), rowBytes: stride * MemoryLayout<Float>.stride)
            workspace.indices.withUnsafeBufferPointer { indices in
                for index in indices[..<featureCount] {
                    let base = FeatureHashing.bucket(of: index) * stride
                    let value: Float = usesIDF ? FeatureHashing.applySign(of: index, to: table[base]) : 1
                    for label in 0..<labelCount { sums[label] += value * table[base + 1 + label] }
                    sumOfSquares += value * value
                }
            }
        }
        let scale = scaleFactor(sumOfSquares: sumOfSquares)
        workspace.logits.removeAll(keepingCapacity: true)
        for label in 0..<labelCount {
            workspace.logits.append(Double(biases[label]) + Double(sums[label]) * scale)
        }
    }

    /// 1/‖x‖ for TF-IDF (1 for an empty text), 1 for counts.
    private func scaleFactor(sumOfSquares: Float) -> Double {
        guard weighting == .tfidf, sumOfSquares > 0 else { return 1 }
        return 1 / Double(sumOfSquares).squareRoot()
    }
}

import ModelCore

/// Every row a batch job scores, numbered across its inputs from 0, with the classifier that
/// scores them.
enum ScoredRows: Sendable {
    /// Texts, for a text classifier.
    case text(ConcatenatedRows, LinearTextClassifier)
    /// Rows of a tabular classifier's columns. Each is labelled `true` when that is the more
    /// probable label (`false` on a tie), and scored with the probability of `true`.
    case tabular(TabularRows, TabularClassifier)

    /// The number of rows.
    var count: Int {
        switch self {
        case .text(let rows, _): rows.count
        case .tabular(let rows, _): rows.count
        }
    }

    /// Predicts the rows numbered `range`, in order, appending their lines to `chunk` and
    /// counting their labels.
    func predict(_ range: Range<Int>, encoder: PredictionEncoder, workspace: inout PredictionWorkspace, into chunk: inout EncodedChunk) {
        switch self {
        case .text(let rows, let classifier):
            rows.forEach(in: range) { id, text in
                let labelIndex = classifier.classify(utf8: text, workspace: &workspace)
                chunk.labelCounts[labelIndex] += 1
                encoder.append(id: id, labelIndex: labelIndex, probabilities: workspace.probabilities,
                               score: classifier.score(probabilities: workspace.probabilities), to: &chunk.bytes)
            }
        case .tabular(let rows, let classifier):
            var probabilities = [0.0, 0.0]  // in label order: false, true
            for row in range {
                let (positive, negative) = classifier.labelProbabilities(ofRow: row, in: rows.table)
                probabilities[0] = negative
                probabilities[1] = positive
                let labelIndex = positive > negative ? 1 : 0
                chunk.labelCounts[labelIndex] += 1
                rows.withID(row) { id in
                    encoder.append(id: id, labelIndex: labelIndex, probabilities: probabilities, score: positive, to: &chunk.bytes)
                }
            }
        }
    }
}

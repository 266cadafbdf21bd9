import Corpus
import Determinism
import Foundation
import ModelCore
import Synchronization

/// Where scenarios get their data: the tweet corpus (read once per run, shared by every
/// scenario) and models trained on slices (trained once per run for identical slices and
/// settings). Thread-safe, so scenarios may run in parallel: both caches sit in `Mutex`es.
public final class DataSource: Sendable {
    private let corpusPath: String?
    private let corpus = Mutex<TweetCorpus?>(nil)
    private let models = Mutex<[String: TrainedModel]>([:])
    private let cdnow = Mutex<[Purchase]?>(nil)

    /// A source reading the corpus from `corpusPath`, or fetching it into the cache when nil.
    public init(corpusPath: String? = nil) {
        self.corpusPath = corpusPath
    }

    /// The rows of `slice`, as the scenario defines it.
    func rows(of slice: SliceSpec, scenario: Scenario) throws -> [SliceRow] {
        var rows: [SliceRow]
        switch slice.source {
        case .corpus(let split):
            rows = try loadCorpus().rows.filter { $0.split == split }.map { SliceRow(id: String($0.number), label: $0.sentiment, text: $0.text) }
        case .wholeCorpus:
            rows = try loadCorpus().rows.map { SliceRow(id: String($0.number), label: $0.sentiment, text: $0.text) }
        case .file(let path):
            rows = try Self.readSliceFile(path.hasPrefix("/") ? path : scenario.folder + "/" + path)
        }
        let sourceCount = rows.count
        var steps: [String] = []
        if !slice.labels.isEmpty {
            rows = rows.filter { slice.labels.contains($0.label) }
            steps.append("\(rows.count) with labels \(slice.labels.joined(separator: ", "))")
        }
        if let sample = slice.sample, sample < rows.count {
            var indices = Array(rows.indices)
            var random = SplitMix64(seed: scenario.seed)
            random.shuffle(&indices)
            rows = indices.prefix(sample).sorted().map { rows[$0] }
        }
        if slice.skip > 0 {
            steps.append("skip: \(slice.skip) leaves \(max(0, rows.count - slice.skip))")
            rows = Array(rows.dropFirst(slice.skip))
        }
        guard !rows.isEmpty else { throw ScenarioRunError.Problem.emptySlice(name: slice.name, source: sourceCount, steps: steps) }
        if let first = slice.first { rows = Array(rows.prefix(first)) }
        if slice.repeatCount > 1 {
            let base = rows
            for round in 1..<slice.repeatCount {
                rows += base.map { SliceRow(id: "\($0.id)-\(round)", label: $0.label, text: $0.text) }
            }
        }
        return rows
    }

    /// The model trained on `slice` with `algorithm` and the scenario seed (cached per run).
    func trainedModel(slice: SliceSpec, algorithm: Algorithm, scenario: Scenario) throws -> TrainedModel {
        let key = "\(slice.source)|\(slice.labels)|\(slice.skip)|\(slice.sample.map { "\($0)|\(scenario.seed)" } ?? "-")|\(slice.first ?? 0)|\(slice.repeatCount)|\(algorithm.rawValue)|\(scenario.seed)"
        if let model = models.withLock({ $0[key] }) { return model }
        let examples = try rows(of: slice, scenario: scenario).map { LabeledText(text: $0.text, label: $0.label) }
        let parameters = TrainingParameters(algorithm: algorithm, seed: scenario.seed)
        let model = TrainedModel(
            metadata: ModelMetadata(parameters: parameters, trainingData: TrainingDataSummary(examples: examples, source: "slice \(slice.name)")),
            classifier: try Self.train(examples, parameters: parameters, slice: slice.name))
        models.withLock { $0[key] = model }
        return model
    }

    /// `Trainer.train`, its error saying which slice it trained on.
    private static func train(_ examples: [LabeledText], parameters: TrainingParameters, slice: String) throws -> LinearTextClassifier {
        do { return try Trainer.train(examples, parameters: parameters) } catch {
            throw ScenarioRunError.Problem.trainingFailed(slice: slice, rows: examples.count, cause: error)
        }
    }

    /// The purchases of an automl loop: the CDNOW file (read once per run; fetched into the
    /// cache if it is not there) or a generator's.
    func purchases(_ data: AutoMLSpec.PurchaseData) throws -> [Purchase] {
        switch data {
        case .drifting(let generator):
            return generator.purchases()
        case .cdnow:
            return try cdnow.withLock { cached in
                if let cached { return cached }
                let loaded = try PurchaseLog.load(try CorpusFetcher().fetch(.cdnow))
                cached = loaded
                return loaded
            }
        }
    }

    private func loadCorpus() throws -> TweetCorpus {
        // Loaded under the lock, so parallel scenarios read the file once.
        try corpus.withLock { corpus in
            if let corpus { return corpus }
            let url = try corpusPath.map { URL(fileURLWithPath: $0) } ?? CorpusFetcher().fetch()
            let loaded = try TweetCorpus(contentsOf: url)
            corpus = loaded
            return loaded
        }
    }

    /// Reads a CSV slice file with columns `id,sentiment,text`.
    static func readSliceFile(_ path: String) throws(ScenarioRunError.Problem) -> [SliceRow] {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadableFile(path: path) }
        let (records, problems) = CSVReader.readAll([UInt8](data))
        if let problem = problems.first { throw .malformedSliceFile(path: path, line: problem.line, reason: problem.message) }
        guard let header = records.first, header.fields == ["id", "sentiment", "text"] else {
            throw .malformedSliceFile(path: path, line: 0, reason: "the header must be id,sentiment,text")
        }
        return try records.dropFirst().map { (record) throws(ScenarioRunError.Problem) in
            guard record.fields.count == 3 else { throw .malformedSliceFile(path: path, line: record.line, reason: "expected 3 fields") }
            return SliceRow(id: record.fields[0], label: record.fields[1], text: record.fields[2])
        }
    }
}

import Corpus
import Foundation
import LocalCloud
import Modes
import ModelCore

/// `rehearse-bench batch`: end-to-end batch inference throughput.
///
/// Trains the default logistic-regression model on the corpus's train split and registers it
/// in a fresh local bucket, then writes `rows` tweets (the corpus repeated, ids `<n>-<round>`)
/// as CSV objects of one corpus copy each. Only then is the clock started: the batch job lists
/// and reads the objects, parses them, predicts on every core and writes the prediction shards,
/// rejects and manifest back to the bucket. Reports tweets per second for that whole job.
enum BatchBenchmark {
    static func run(corpusPath: String?, rows: Int, threads: Int?) throws {
        let url = try corpusPath.map { URL(fileURLWithPath: $0) } ?? CorpusFetcher().fetch()
        let corpus = try TweetCorpus(contentsOf: url)
        let train = corpus.examples(in: .train)
        let parameters = TrainingParameters(algorithm: .logisticRegression)
        let model = TrainedModel(
            metadata: ModelMetadata(parameters: parameters, trainingData: TrainingDataSummary(examples: train, source: "bench")),
            classifier: try Trainer.train(train, parameters: parameters))

        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("bench-batch-\(getpid())")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = try DirectoryObjectStore(root: root, clock: SystemClock())
        try store.createBucket("bench")
        let registry = ModelRegistry(store: store, bucket: "bench")
        try registry.setAlias("production", name: "sentiment", version: try registry.register(model, name: "sentiment"))

        var written = 0
        var round = 0
        var inputBytes = 0
        while written < rows {
            var csv = "id,text\n"
            for row in corpus.rows.prefix(rows - written) {
                csv += "\(row.number)-\(round),\"\(row.text.replacingOccurrences(of: "\"", with: "\"\""))\"\n"
            }
            let data = Data(csv.utf8)
            inputBytes += data.count
            try store.put(data, bucket: "bench", key: String(format: "tweets/part-%03d.csv", round))
            written += min(corpus.rows.count, rows - written)
            round += 1
        }
        print("wrote \(written) tweets in \(round) CSV objects (\(inputBytes / 1_000_000) MB) to a local bucket")

        let spec = BatchJobSpec(name: "bench", bucket: "bench", inputPrefix: "tweets/", outputPrefix: "predictions/",
                                model: ModelReference(name: "sentiment", aliasOrVersion: "production"), threads: threads)
        let clock = ContinuousClock()
        var summary: BatchSummary?
        let cpuBefore = processCPUSeconds()
        let elapsed = try clock.measure { summary = try BatchJob(store: store, spec: spec).run() }
        let cpu = processCPUSeconds() - cpuBefore
        let seconds = elapsed.seconds
        let rate = Double(summary!.rows) / seconds
        let cores = threads ?? ProcessInfo.processInfo.activeProcessorCount
        print("batch job: \(summary!.rows) predicted, \(summary!.rejected) rejected, \(summary!.shards) shards in \(String(format: "%.3f", seconds)) s on \(cores) threads: \(Int(rate)) tweets/s end to end")
        print("CPU time \(String(format: "%.3f", cpu)) s (\(String(format: "%.2f", cpu / seconds)) cores busy on average; other processes compete for the rest)")
        print("{\"tweets_per_s\": \(Int(rate)), \"rows\": \(summary!.rows), \"seconds\": \(String(format: "%.3f", seconds)), \"cpu_s\": \(String(format: "%.3f", cpu)), \"threads\": \(cores)}")
    }
}

/// User plus system CPU time of this process so far, in seconds.
private func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

import Foundation
import Synchronization

/// Benchmarks for `bench/*` scripts:
/// `rehearse-bench predict [--data CSV] [--seconds N]`,
/// `rehearse-bench batch [--data CSV] [--rows N] [--threads N]`,
/// `rehearse-bench online-bodies --out FILE [--shape v2|text] [--count N] [--data CSV]`,
/// `rehearse-bench online-load --url URL --bodies FILE [--connections N] [--seconds N]`,
/// `rehearse-bench stream [--data CSV] [--tweets N] [--latency-tweets N] [--rate N] [--workers N]`,
/// `rehearse-bench automl [--data CDNOW_master.txt] [--runs N]`,
/// `rehearse-bench wire --rehearse PATH [--count N] [--connections N]`.
/// A bad command line (unknown command or flag, missing or malformed value) exits 2.
let usage = """
    usage: rehearse-bench predict [--data CSV] [--seconds N]
           rehearse-bench batch [--data CSV] [--rows N] [--threads N]
           rehearse-bench online-bodies --out FILE [--shape v2|text] [--count N] [--data CSV]
           rehearse-bench online-load --url URL --bodies FILE [--connections N] [--seconds N]
           rehearse-bench stream [--data CSV] [--tweets N] [--latency-tweets N] [--rate N] [--workers N]
           rehearse-bench automl [--data CDNOW_master.txt] [--runs N]
           rehearse-bench wire --rehearse PATH [--count N] [--connections N]

    """
let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "predict":
        let flags = try BenchArguments(Array(arguments.dropFirst()), flags: ["--data", "--seconds"])
        let seconds = try flags.number("--seconds", above: 0, upTo: 3600) ?? 3
        try PredictBenchmark.run(corpusPath: flags.text("--data"), seconds: seconds)
    case "batch":
        let flags = try BenchArguments(Array(arguments.dropFirst()), flags: ["--data", "--rows", "--threads"])
        let rows = try flags.integer("--rows", in: 1...100_000_000) ?? 1_000_000
        let threads = try flags.integer("--threads", in: 1...1024)
        try BatchBenchmark.run(corpusPath: flags.text("--data"), rows: rows, threads: threads)
    case "online-bodies":
        let flags = try BenchArguments(Array(arguments.dropFirst()), flags: ["--data", "--out", "--shape", "--count"])
        guard let out = flags.text("--out") else { throw BenchUsageError("online-bodies needs --out FILE") }
        let shapeName = flags.text("--shape") ?? "v2"
        guard let shape = OnlineBodies.Shape(rawValue: shapeName) else {
            throw BenchUsageError("--shape must be v2 or text, got '\(shapeName)'")
        }
        let count = try flags.integer("--count", in: 1...10_000_000)
        try OnlineBodies.run(corpusPath: flags.text("--data"), outputPath: out, shape: shape, count: count)
    case "online-load":
        let flags = try BenchArguments(Array(arguments.dropFirst()), flags: ["--url", "--bodies", "--connections", "--seconds"])
        guard let url = flags.text("--url") else { throw BenchUsageError("online-load needs --url URL") }
        guard let bodies = flags.text("--bodies") else { throw BenchUsageError("online-load needs --bodies FILE") }
        let connections = try flags.integer("--connections", in: 1...1024) ?? 16
        let seconds = try flags.number("--seconds", above: 0, upTo: 3600) ?? 10
        try OnlineLoad.run(url: url, bodiesPath: bodies, connections: connections, seconds: seconds)
    case "stream":
        let flags = try BenchArguments(Array(arguments.dropFirst()), flags: ["--data", "--tweets", "--latency-tweets", "--rate", "--workers"])
        let tweets = try flags.integer("--tweets", in: 1...100_000_000) ?? 1_000_000
        let latencyTweets = try flags.integer("--latency-tweets", in: 1...100_000_000) ?? 100_000
        let rate = try flags.number("--rate", above: 0, upTo: 10_000_000) ?? 10_000
        let workers = try flags.integer("--workers", in: 1...64) ?? 2
        let corpusPath = flags.text("--data")
        let finished = DispatchSemaphore(value: 0)
        let failure = Mutex<(any Error)?>(nil)
        // Detached: a task made here would run on the main actor, whose thread waits below.
        Task.detached {
            do {
                try await StreamBenchmark.run(corpusPath: corpusPath, tweets: tweets, latencyTweets: latencyTweets, offeredRate: rate, workers: workers)
            } catch {
                failure.withLock { $0 = error }
            }
            finished.signal()
        }
        finished.wait()
        if let error = failure.withLock({ $0 }) { throw error }
    case "automl":
        let flags = try BenchArguments(Array(arguments.dropFirst()), flags: ["--data", "--runs"])
        try AutoMLBenchmark.run(dataPath: flags.text("--data"), runs: try flags.integer("--runs", in: 1...99) ?? 3)
    case "wire":
        let flags = try BenchArguments(Array(arguments.dropFirst()), flags: ["--rehearse", "--count", "--connections"])
        guard let rehearse = flags.text("--rehearse") else { throw BenchUsageError("wire needs --rehearse PATH (the rehearse executable)") }
        let count = try flags.integer("--count", in: 10...10_000_000) ?? 20_000
        let connections = try flags.integer("--connections", in: 1...1024) ?? 16
        try WireBenchmark.run(rehearsePath: rehearse, count: count, connections: connections)
    case let command:
        throw BenchUsageError(command.map { "unknown command '\($0)'" } ?? "no command given")
    }
} catch let error as BenchUsageError {
    FileHandle.standardError.write(Data("error: \(error.reason)\n\(usage)".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}

import Foundation

/// Benchmarks for `bench/*` scripts:
/// `rehearse-bench predict [--data CSV] [--seconds N]`,
/// `rehearse-bench batch [--data CSV] [--rows N] [--threads N]`.
/// A bad command line (unknown command or flag, missing or malformed value) exits 2.
let usage = """
    usage: rehearse-bench predict [--data CSV] [--seconds N]
           rehearse-bench batch [--data CSV] [--rows N] [--threads N]

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

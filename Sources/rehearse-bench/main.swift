import Foundation

/// Benchmarks for `bench/*` scripts:
/// `rehearse-bench predict [--data CSV] [--seconds N]`,
/// `rehearse-bench batch [--data CSV] [--rows N] [--threads N]`.
let arguments = Array(CommandLine.arguments.dropFirst())
func value(of flag: String) -> String? {
    arguments.firstIndex(of: flag).flatMap { arguments.index(after: $0) < arguments.count ? arguments[$0 + 1] : nil }
}
do {
    switch arguments.first {
    case "predict":
        let secondsText = value(of: "--seconds") ?? "3"
        guard let seconds = Double(secondsText), seconds > 0, seconds <= 3600 else {
            FileHandle.standardError.write(Data("error: --seconds must be a number of seconds in (0, 3600], got \(secondsText)\n".utf8))
            exit(2)
        }
        try PredictBenchmark.run(corpusPath: value(of: "--data"), seconds: seconds)
    case "batch":
        try BatchBenchmark.run(corpusPath: value(of: "--data"), rows: value(of: "--rows").flatMap(Int.init) ?? 1_000_000,
                               threads: value(of: "--threads").flatMap(Int.init))
    default:
        FileHandle.standardError.write(Data("usage: rehearse-bench predict [--data CSV] [--seconds N]\n       rehearse-bench batch [--data CSV] [--rows N] [--threads N]\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}

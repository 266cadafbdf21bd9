import ArgumentParser
import Corpus
import Foundation
import ModelCore

/// Options naming the labelled data a command reads.
struct CorpusOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A CSV file with columns sentiment,confidence,text (default: the fetched corpus).", valueName: "CSV"))
    var data: String?

    /// The corpus named by `--data`, or the cached one (fetched if missing).
    func load() throws -> (corpus: TweetCorpus, source: String) {
        let url: URL
        if let data {
            url = URL(fileURLWithPath: data)
        } else {
            url = try CorpusFetcher().fetch { Console.note($0) }
        }
        let corpus = try TweetCorpus(bytes: [UInt8](FileAccess.contents(of: url.path, what: "data file")), path: url.path)
        for problem in corpus.problems.prefix(5) { Console.note("warning: \(url.path):\(problem.line): \(problem.message)") }
        if corpus.problems.count > 5 { Console.note("warning: \(corpus.problems.count - 5) more malformed records skipped") }
        return (corpus, data == nil ? "corpus" : url.lastPathComponent)
    }
}

extension CorpusSplit: ExpressibleByArgument {}
extension Algorithm: ExpressibleByArgument {}

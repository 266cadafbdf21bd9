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
            let sentiment = record.fields[0].trimmingCharacters(in: .whitespaces)
            guard !sentiment.isEmpty else {
                problems.append(CSVProblem(line: record.line, message: "sentiment must not be empty"))
                continue
            }
            let confidenceField = record.fields[1].trimmingCharacters(in: .whitespaces)
            let confidence = Double(confidenceField)
            guard confidenceField.isEmpty || confidence.map({ (0...1).contains($0) }) == true else {
                problems.append(CSVProblem(line: record.line, message: "confidence must be empty or a number in [0, 1], found \"\(record.fields[1])\""))
                continue
            }
            rows.append(TweetRow(
                number: offset + 1, line: record.line, sentiment: sentiment,
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

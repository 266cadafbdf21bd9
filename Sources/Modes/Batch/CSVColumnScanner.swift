/// Reads CSV records by the same rules as Corpus's `CSVReader` — RFC 4180 quoting, LF / CRLF /
/// CR line ends, invalid UTF-8 as U+FFFD, a leading byte-order mark and empty lines skipped, the
/// same problems with the same line numbers — but
/// builds strings only for the columns asked for, and takes quoted fields without doubled
/// quotes straight from the input bytes. The batch job's lean CSV path; a differential test
/// holds it to `CSVReader`.
public struct CSVColumnScanner {
    /// One record: where it starts, how many fields it has, and its first problem if malformed.
    public struct Record: Sendable, Equatable {
        /// The 1-based line the record starts on.
        public let line: Int
        /// How many fields it has.
        public let fieldCount: Int
        /// The first problem, for a malformed record (`CSVReader`'s message).
        public let problem: String?
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var line = 1

    /// A scanner over `bytes`, which must stay valid while it is used.
    public init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// Reads the next record into `values`: for each entry of `columns`, that column's text
    /// ("" when the record is shorter); with `columns` nil, every field. Nil at the end of input.
    public mutating func next(columns: [Int]?, into values: inout [String]) -> Record? {
        while position < bytes.count, bytes[position] == 0x0A || bytes[position] == 0x0D {
            consumeLineBreak()
        }
        guard position < bytes.count else { return nil }
        values.removeAll(keepingCapacity: true)
        if let columns { values.append(contentsOf: repeatElement("", count: columns.count)) }
        let startLine = line
        var problem: String?
        var field = 0
        while true {
            let slot: Int? = if let columns { columns.firstIndex(of: field) } else { field }
            let (text, fieldProblem) = readField(materialise: slot != nil)
            if let slot {
                if columns == nil { values.append(text ?? "") } else { values[slot] = text ?? "" }
            }
            if problem == nil { problem = fieldProblem }
            field += 1
            guard position < bytes.count else { break }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            consumeLineBreak()
            break
        }
        return Record(line: startLine, fieldCount: field, problem: problem)
    }

    /// Reads one field, leaving `position` on the `,`, the line break or the end after it.
    private mutating func readField(materialise: Bool) -> (String?, problem: String?) {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            let start = position
            while position < bytes.count, !isFieldEnd(bytes[position]) { position += 1 }
            return (materialise ? text(start..<position, unescaping: false) : nil, nil)
        }
        let openingLine = line
        position += 1
        let start = position
        var hasDoubledQuotes = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "\"") {
                    hasDoubledQuotes = true
                    position += 2
                    continue
                }
                let content = start..<position
                position += 1
                let value = materialise ? text(content, unescaping: hasDoubledQuotes) : nil
                if position < bytes.count, !isFieldEnd(bytes[position]) {
                    while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
                    return (value, "unexpected text after the closing quote of a quoted field; expected ',' or the end of the line")
                }
                return (value, nil)
            }
            if byte == 0x0A || (byte == 0x0D && !(position + 1 < bytes.count && bytes[position + 1] == 0x0A)) {
                line += 1
            }
            position += 1
        }
        return (materialise ? text(start..<position, unescaping: hasDoubledQuotes) : nil,
                "quoted field opened on line \(openingLine) is never closed; expected a closing '\"'")
    }

    private func text(_ range: Range<Int>, unescaping: Bool) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        guard unescaping else { return String(decoding: slice, as: UTF8.self) }
        var content: [UInt8] = []
        content.reserveCapacity(slice.count)
        var index = 0
        while index < slice.count {
            content.append(slice[index])
            index += slice[index] == UInt8(ascii: "\"") && index + 1 < slice.count && slice[index + 1] == UInt8(ascii: "\"") ? 2 : 1
        }
        return String(decoding: content, as: UTF8.self)
    }

    private func isFieldEnd(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == 0x0A || byte == 0x0D
    }

    /// Consumes one LF, CRLF or CR.
    private mutating func consumeLineBreak() {
        guard position < bytes.count else { return }
        if bytes[position] == 0x0D {
            position += 1
            if position < bytes.count, bytes[position] == 0x0A { position += 1 }
        } else if bytes[position] == 0x0A {
            position += 1
        }
        line += 1
    }
}

/// Reads CSV records by the same rules as Corpus's `CSVReader` — RFC 4180 quoting, LF / CRLF /
/// CR line ends, invalid UTF-8 as U+FFFD, a leading byte-order mark and empty lines skipped, the
/// same problems with the same line numbers — but
/// reads only the columns asked for, and hands out fields as ranges of the input bytes (quoted
/// fields with doubled quotes are unescaped into a copy), building strings only on request.
/// The batch job's lean CSV path; a differential test holds it to `CSVReader`.
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

    /// One field as read: where its bytes are in the input, or, for a quoted field with
    /// doubled quotes, its unescaped bytes. Bytes are as in the input (not checked as UTF-8).
    public enum Field: Sendable, Equatable {
        case input(Range<Int>)
        case unescaped([UInt8])

        /// The empty field.
        public static let empty = Field.input(0..<0)
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
    /// ("" when the record is shorter); with `columns` nil, every field. Invalid UTF-8 becomes
    /// U+FFFD. Nil at the end of input.
    public mutating func next(columns: [Int]?, into values: inout [String]) -> Record? {
        var fields: [Field] = []
        guard let record = next(columns: columns, into: &fields) else { return nil }
        values = fields.map { field in withBytes(of: field) { String(decoding: $0, as: UTF8.self) } }
        return record
    }

    /// Reads the next record into `fields`, as `next(columns:into:)` does with strings.
    public mutating func next(columns: [Int]?, into fields: inout [Field]) -> Record? {
        while position < bytes.count, bytes[position] == 0x0A || bytes[position] == 0x0D {
            consumeLineBreak()
        }
        guard position < bytes.count else { return nil }
        fields.removeAll(keepingCapacity: true)
        if let columns { fields.append(contentsOf: repeatElement(Field.empty, count: columns.count)) }
        let startLine = line
        var problem: String?
        var field = 0
        while true {
            let slot: Int? = if let columns { columns.firstIndex(of: field) } else { field }
            let (value, fieldProblem) = readField(materialise: slot != nil)
            if let slot {
                if columns == nil { fields.append(value ?? .empty) } else { fields[slot] = value ?? .empty }
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

    /// Calls `body` with the bytes of `field`, a field this scanner read.
    public func withBytes<Result, Failure: Error>(of field: Field, _ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Result)
        throws(Failure) -> Result {
        switch field {
        case .input(let range): try body(UnsafeBufferPointer(rebasing: bytes[range]))
        case .unescaped(let copy): try copy.withUnsafeBufferPointer(body)
        }
    }

    /// Reads one field, leaving `position` on the `,`, the line break or the end after it.
    private mutating func readField(materialise: Bool) -> (Field?, problem: String?) {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            let start = position
            while position < bytes.count, !isFieldEnd(bytes[position]) { position += 1 }
            return (materialise ? field(start..<position, unescaping: false) : nil, nil)
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
                let value = materialise ? field(content, unescaping: hasDoubledQuotes) : nil
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
        return (materialise ? field(start..<position, unescaping: hasDoubledQuotes) : nil,
                "quoted field opened on line \(openingLine) is never closed; expected a closing '\"'")
    }

    private func field(_ range: Range<Int>, unescaping: Bool) -> Field {
        guard unescaping else { return .input(range) }
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        var content: [UInt8] = []
        content.reserveCapacity(slice.count)
        var index = 0
        while index < slice.count {
            content.append(slice[index])
            index += slice[index] == UInt8(ascii: "\"") && index + 1 < slice.count && slice[index + 1] == UInt8(ascii: "\"") ? 2 : 1
        }
        return .unescaped(content)
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

/// The rows of one input object that are ready to predict, packed: each row's id bytes then its
/// text bytes, one row after another in a single buffer, so parsing a million rows allocates
/// no string per row. Every id and text is well-formed UTF-8: the parser replaces invalid
/// bytes by U+FFFD first, as `String(decoding:as:)` does.
struct InputRows: Sendable {
    private var bytes: [UInt8] = []
    /// Per row, where its id ends (its text starts there).
    private var idEnds: [Int] = []
    /// Per row, where its text ends (the next row's id starts there).
    private var textEnds: [Int] = []

    /// The number of rows.
    var count: Int { textEnds.count }

    /// Makes room for about `rows` rows of `bytes` bytes in all.
    mutating func reserve(rows: Int, bytes byteCount: Int) {
        idEnds.reserveCapacity(rows)
        textEnds.reserveCapacity(rows)
        bytes.reserveCapacity(byteCount)
    }

    /// Adds a row. Both must be well-formed UTF-8 (see `UTF8Validation`); the parser checks.
    mutating func append(id: some Collection<UInt8>, text: some Collection<UInt8>) {
        bytes.append(contentsOf: id)
        idEnds.append(bytes.count)
        bytes.append(contentsOf: text)
        textEnds.append(bytes.count)
    }

    /// Calls `body` with the id and text bytes of row `index`.
    func withRow<Result>(_ index: Int, _ body: (_ id: UnsafeBufferPointer<UInt8>, _ text: UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let idStart = index == 0 ? 0 : textEnds[index - 1]
        let textStart = idEnds[index]
        let textEnd = textEnds[index]
        return bytes.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[idStart..<textStart]), UnsafeBufferPointer(rebasing: all[textStart..<textEnd]))
        }
    }
}

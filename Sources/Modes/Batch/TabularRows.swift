import ModelCore

/// The rows of tabular inputs that are ready to score: each row's id, packed in one buffer as
/// `InputRows` packs them, and its values in a `TabularTable` of the model's schema.
struct TabularRows: Sendable {
    /// The rows' values.
    private(set) var table: TabularTable
    private var idBytes: [UInt8] = []
    /// Per row, where its id ends (the next row's id starts there).
    private var idEnds: [Int] = []

    /// No rows yet, for `schema`.
    init(schema: TabularSchema) {
        table = TabularTable(schema: schema)
    }

    /// The rows of `parts`, one after another.
    init(concatenating parts: [TabularRows], schema: TabularSchema) {
        self.init(schema: schema)
        table.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts {
            let offset = idBytes.count
            idBytes += part.idBytes
            idEnds += part.idEnds.map { $0 + offset }
            table.append(contentsOf: part.table)
        }
    }

    /// The number of rows.
    var count: Int { idEnds.count }

    /// Adds a row: its id (well-formed UTF-8) and its values, in the schema's column order, all
    /// numeric values finite (the parser checks).
    mutating func append(id: some Collection<UInt8>, numeric: [Double], categorical: [String]) {
        // The values were checked, so the table cannot refuse them.
        try! table.append(numeric: numeric, categorical: categorical)
        idBytes.append(contentsOf: id)
        idEnds.append(idBytes.count)
    }

    /// Calls `body` with the id bytes of row `index`.
    func withID<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let start = index == 0 ? 0 : idEnds[index - 1]
        return idBytes.withUnsafeBufferPointer { all in body(UnsafeBufferPointer(rebasing: all[start..<idEnds[index]])) }
    }
}

/// Rows of numeric and categorical values for a `TabularSchema`, stored column by column kind
/// in two flat arrays so training and scoring read them contiguously.
///
/// Categorical values are hashed to their bucket (`TabularSchema.bucket(ofCategory:)`) when they
/// are appended; the strings themselves are not kept.
public struct TabularTable: Sendable {
    /// The columns.
    public let schema: TabularSchema
    /// The numeric values, row by row: row `r`'s value of column `c` is at
    /// `r × schema.numeric.count + c`.
    public private(set) var numeric: [Double] = []
    /// The categorical values' buckets, row by row: row `r`'s bucket for categorical column `c` is
    /// at `r × schema.categorical.count + c`.
    public private(set) var buckets: [Int32] = []
    /// How many rows the table holds.
    public private(set) var rowCount = 0

    /// An empty table.
    public init(schema: TabularSchema) {
        self.schema = schema
    }

    /// Makes room for `rows` rows in all, so appending that many does not reallocate.
    public mutating func reserveCapacity(_ rows: Int) {
        numeric.reserveCapacity(rows * schema.numeric.count)
        buckets.reserveCapacity(rows * schema.categorical.count)
    }

    /// Appends one row: a value per numeric column and a value per categorical column, in the
    /// schema's order (counts are checked with a precondition).
    /// - Throws: `TabularDataError.nonFiniteValue` naming the column, if a numeric value is NaN or
    ///   infinite; the table is then unchanged.
    public mutating func append(numeric values: [Double], categorical categories: [String] = []) throws {
        precondition(values.count == schema.numeric.count, "a row needs \(schema.numeric.count) numeric values, got \(values.count)")
        precondition(categories.count == schema.categorical.count, "a row needs \(schema.categorical.count) categorical values, got \(categories.count)")
        try append(rows: 1, numeric: values, categorical: categories)
    }

    /// Appends many rows at once: `numeric` holds their numeric values and `categorical` their
    /// categorical values, each row after row in the schema's column order (so `rows × columns`
    /// of each kind; counts are checked with a precondition).
    /// - Throws: `TabularDataError.nonFiniteValue` naming the column and row of the first NaN or
    ///   infinite numeric value; the table is then unchanged.
    public mutating func append(rows: Int, numeric values: [Double], categorical categories: [String] = []) throws {
        let numericColumns = schema.numeric.count
        let categoricalColumns = schema.categorical.count
        precondition(rows >= 0 && values.count == rows * numericColumns, "\(rows) rows need \(rows * numericColumns) numeric values, got \(values.count)")
        precondition(categories.count == rows * categoricalColumns, "\(rows) rows need \(rows * categoricalColumns) categorical values, got \(categories.count)")
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw TabularDataError.nonFiniteValue(column: schema.numeric[bad % numericColumns], row: rowCount + bad / numericColumns, value: values[bad])
        }
        // An empty table takes the values' storage as it is (no copy of a week's worth of rows).
        if numeric.isEmpty { numeric = values } else { numeric.append(contentsOf: values) }
        for category in categories { buckets.append(Int32(schema.bucket(ofCategory: category))) }
        rowCount += rows
    }

    /// Appends every row of `other`, which must have the same schema.
    public mutating func append(contentsOf other: TabularTable) {
        precondition(other.schema == schema, "cannot append rows of another schema")
        numeric.append(contentsOf: other.numeric)
        buckets.append(contentsOf: other.buckets)
        rowCount += other.rowCount
    }

    /// Row `row`'s value of numeric column `column`.
    public func numericValue(row: Int, column: Int) -> Double {
        numeric[row * schema.numeric.count + column]
    }

    /// Row `row`'s bucket for categorical column `column`.
    public func bucket(row: Int, column: Int) -> Int {
        Int(buckets[row * schema.categorical.count + column])
    }
}

/// Why a table could not be described or filled.
public enum TabularDataError: Error, Equatable, CustomStringConvertible {
    /// The schema is not usable; the text says why.
    case invalidSchema(String)
    /// A numeric value is NaN or infinite; `row` is the index it would have had in the table.
    case nonFiniteValue(column: String, row: Int, value: Double)

    public var description: String {
        switch self {
        case .invalidSchema(let reason): "invalid table schema: \(reason)"
        case .nonFiniteValue(let column, let row, let value):
            "column \"\(column)\" has the value \(value) in row \(row); numeric values must be finite numbers"
        }
    }
}

/// Why a purchase log could not be read. Every case names the file; line errors name the
/// 1-based line too.
public enum PurchaseLogError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// A line does not have the four fields.
    case wrongFieldCount(file: String, line: Int, found: Int)
    /// A field's value is not what the field holds; `value` is the field as written (cut after
    /// 32 bytes, invalid UTF-8 as U+FFFD).
    case badValue(file: String, line: Int, field: Field, value: String)

    /// The four fields of a line, in order, named as in the CDNOW file's header.
    public enum Field: String, Sendable, CaseIterable {
        case customerID = "customer_id"
        case date
        case numberOfCDs = "number_of_cds"
        case dollarValue = "dollar_value"

        /// What the field must hold, as the end of a sentence starting with the value.
        var expectation: String {
            switch self {
            case .customerID: "is not a customer number (digits only, at most 2147483647)"
            case .date: "is not a valid yyyymmdd date"
            case .numberOfCDs: "is not a positive whole number of CDs (1 to 2147483647)"
            case .dollarValue: "is not a non-negative decimal with at most 2 places"
            }
        }
    }

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            "cannot read purchase log \(file): \(reason)"
        case .wrongFieldCount(let file, let line, let found):
            "\(file):\(line): expected 4 fields separated by spaces (\(Field.allCases.map(\.rawValue).joined(separator: " "))), found \(found)"
        case .badValue(let file, let line, let field, let value):
            "\(file):\(line): \(field.rawValue) \"\(value)\" \(field.expectation)"
        }
    }
}

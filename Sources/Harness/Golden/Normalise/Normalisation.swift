import JSON

/// The normalisations a scenario declares for one capture: field-path ones for JSON Lines,
/// text redactions for text.
public struct Normalisation: Sendable, Equatable {
    /// Volatile values to replace with numbered placeholders, first match wins.
    public var redactions: [Redaction]
    /// For text captures: regular expressions whose matches become numbered placeholders, in order.
    public var textRedactions: [TextRedaction]
    /// Numeric drift to accept, first matching path wins.
    public var tolerances: [Tolerance]
    /// Compare records as a multiset; the golden keeps them sorted by canonical text.
    public var orderInsensitive: Bool

    /// Creates a set of normalisations; the defaults normalise nothing.
    public init(redactions: [Redaction] = [], tolerances: [Tolerance] = [], orderInsensitive: Bool = false,
                textRedactions: [TextRedaction] = []) {
        self.redactions = redactions
        self.textRedactions = textRedactions
        self.tolerances = tolerances
        self.orderInsensitive = orderInsensitive
    }

    /// No normalisation: records compared exactly and in order.
    public static let none = Normalisation()

    /// Whether nothing is declared.
    public var isEmpty: Bool { !appliesToRecords && textRedactions.isEmpty }

    /// Whether a field-path normalisation (redaction, tolerance, order-insensitivity) is declared.
    public var appliesToRecords: Bool { !redactions.isEmpty || !tolerances.isEmpty || orderInsensitive }

    /// The redaction and tolerance paths that match no field of any of `records`, as
    /// `redact path a.b` or `tolerance path c`: a misspelled path would otherwise do nothing,
    /// silently. None when there are no records to judge by.
    public func unusedPaths(in records: [JSONValue]) -> [String] {
        guard !records.isEmpty else { return [] }
        var unused = redactions.map { ("redact", $0.path) } + tolerances.map { ("tolerance", $0.path) }
        func visit(_ value: JSONValue, at location: [JSONLocation]) {
            if !location.isEmpty { unused.removeAll { $0.1.matches(location) } }
            guard !unused.isEmpty else { return }
            switch value {
            case .array(let elements):
                for (index, element) in elements.enumerated() { visit(element, at: location + [.index(index)]) }
            case .object(let members):
                for (key, member) in members { visit(member, at: location + [.key(key)]) }
            default:
                break
            }
        }
        for record in records where !unused.isEmpty { visit(record, at: []) }
        return unused.map { "\($0.0) path \($0.1)" }
    }
}

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
}

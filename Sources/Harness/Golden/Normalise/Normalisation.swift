/// The normalisations a scenario declares for one JSON Lines capture.
public struct Normalisation: Sendable, Equatable {
    /// Volatile values to replace with numbered placeholders, first match wins.
    public var redactions: [Redaction]
    /// Numeric drift to accept, first matching path wins.
    public var tolerances: [Tolerance]
    /// Compare records as a multiset; the golden keeps them sorted by canonical text.
    public var orderInsensitive: Bool

    /// Creates a set of normalisations; the defaults normalise nothing.
    public init(redactions: [Redaction] = [], tolerances: [Tolerance] = [], orderInsensitive: Bool = false) {
        self.redactions = redactions
        self.tolerances = tolerances
        self.orderInsensitive = orderInsensitive
    }

    /// No normalisation: records compared exactly and in order.
    public static let none = Normalisation()

    /// Whether nothing is declared.
    public var isEmpty: Bool { redactions.isEmpty && tolerances.isEmpty && !orderInsensitive }
}

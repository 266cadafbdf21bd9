/// A JSON document held in memory: the value type that captures, goldens, reports and input
/// records share.
///
/// Numbers are `Double`s, except integer literals that a `Double` cannot hold exactly (such as
/// 2⁵³ + 1 or a 20-digit id): the parser keeps those as ``bigInteger(_:)`` with their exact
/// digits, so no value silently changes on its way through. See ``JSONValue/canonicalText`` for
/// how each case is written.
public enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number. Non-finite values can be built in code but not parsed; see ``canonicalText``.
    case number(Double)
    /// An integer that a `Double` cannot hold exactly, as its decimal digits with an optional
    /// leading `-` (no leading zeros). The parser produces it only for such integers; build one
    /// in code with ``integer(_:)``, which picks ``number(_:)`` whenever that is exact.
    case bigInteger(String)
    /// A string.
    case string(String)
    /// An ordered array.
    case array([JSONValue])
    /// An object. Key order carries no meaning: the canonical form sorts keys.
    case object([String: JSONValue])
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// Creates `.null`.
    public init(nilLiteral: ()) { self = .null }
    /// Creates `.bool`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// Creates `.number` from an integer literal.
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// Creates `.number`.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// Creates `.string`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// Creates `.array`.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// Creates `.object`; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension JSONValue {
    /// `value` as a JSON number: ``number(_:)`` when a `Double` holds it exactly and writes it
    /// as the same digits, otherwise ``bigInteger(_:)`` with its exact digits — the value the
    /// parser gives for the integer's text.
    public static func integer(_ value: some BinaryInteger) -> JSONValue {
        let digits = String(value)
        if let double = Double(exactly: value), CanonicalNumber.text(double) == digits { return .number(double) }
        return .bigInteger(digits)
    }
}

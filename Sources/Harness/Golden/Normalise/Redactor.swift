import JSON

/// Applies redactions to a capture's records, numbering placeholders in order of first
/// appearance.
///
/// Records are walked in canonical order (records in sequence; within a record, object keys by
/// UTF-8 bytes and array elements by index), so numbering depends only on the data. A value is
/// identified by its canonical text: equal values get equal placeholders. For order-insensitive
/// captures, records are first ordered by their text with unnumbered placeholders (`<id>`), then
/// (where those tie) by their full text, so the numbering does not depend on the order the
/// system emitted them in. The price: among records that are identical once masked, a change
/// in a redacted value alone can renumber them; give such records a field that is not
/// redacted to tell them apart.
public enum Redactor {
    /// The records with every redacted value replaced by its `<name:N>` placeholder.
    public static func apply(_ redactions: [Redaction], to records: [JSONValue], orderInsensitive: Bool) -> [JSONValue] {
        guard !redactions.isEmpty else { return records }
        var ordered = records
        if orderInsensitive {
            let keys = records.map { record in
                (masked: replace(record, at: [], redactions: redactions) { name, _ in "<\(name)>" }.canonicalText,
                 full: record.canonicalText)
            }
            ordered = zip(keys, records)
                .sorted { lhs, rhs in
                    if lhs.0.masked != rhs.0.masked { return lhs.0.masked.utf8.lexicographicallyPrecedes(rhs.0.masked.utf8) }
                    return lhs.0.full.utf8.lexicographicallyPrecedes(rhs.0.full.utf8)
                }
                .map(\.1)
        }
        var numbering: [String: [String: Int]] = [:]
        return ordered.map { record in
            replace(record, at: [], redactions: redactions) { name, value in
                let text = value.canonicalText
                var numbers = numbering[name, default: [:]]
                let number = numbers[text] ?? (numbers.count + 1)
                numbers[text] = number
                numbering[name] = numbers
                return "<\(name):\(number)>"
            }
        }
    }

    private static func replace(
        _ value: JSONValue, at location: [JSONLocation], redactions: [Redaction],
        placeholder: (String, JSONValue) -> String
    ) -> JSONValue {
        if !location.isEmpty, let redaction = redactions.first(where: { $0.path.matches(location) }) {
            return .string(placeholder(redaction.name, value))
        }
        switch value {
        case .array(let elements):
            return .array(elements.enumerated().map { index, element in
                replace(element, at: location + [.index(index)], redactions: redactions, placeholder: placeholder)
            })
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for key in JSONValue.sortedKeys(members) {
                result[key] = replace(members[key]!, at: location + [.key(key)], redactions: redactions, placeholder: placeholder)
            }
            return .object(result)
        default:
            return value
        }
    }
}

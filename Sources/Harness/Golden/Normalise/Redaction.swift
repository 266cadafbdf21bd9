/// Replaces volatile values at a field path with numbered placeholders such as `<id:1>`.
///
/// Values are numbered per placeholder name in order of first appearance, so equal values get
/// the same placeholder and links between them survive (LocalStack's snapshot transformers).
public struct Redaction: Sendable, Equatable {
    /// Where the volatile values are.
    public let path: FieldPath
    /// The placeholder name: `<name:N>`.
    public let name: String

    /// Creates a redaction; `name` defaults to the last key of the path (`rows[*].id` → `id`),
    /// or `value` when the path names no key. Redactions sharing a name share one numbering.
    ///
    /// - Throws: ``HarnessError/invalidFieldPath(_:column:message:)`` for a malformed path,
    ///   ``HarnessError/invalidName(_:_:reason:)`` for an empty name or one containing `<`, `>`
    ///   or `:`.
    public init(_ path: String, as name: String? = nil) throws(HarnessError) {
        self.path = try FieldPath(path)
        let chosen = name ?? self.path.lastKey ?? "value"
        if chosen.isEmpty || chosen.contains(where: { "<>:".contains($0) }) {
            throw .invalidName("placeholder", chosen, reason: "it must be non-empty without '<', '>' or ':'")
        }
        self.name = chosen
    }
}

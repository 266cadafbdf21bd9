import JSON

/// The JSON text of a model artifact's body, written by Rehearsal itself rather than by
/// Foundation's `JSONEncoder`, whose number and string formatting differ between platforms and
/// versions — and the artifact's bytes are its model id.
///
/// The one format: objects with keys sorted by their UTF-8 bytes, no white space; strings with
/// `JSONString`'s one escaping rule (`"` and `\` escaped, control characters as `\b \t \n \f \r` or `\u00xx`), all
/// else as it is (`/` and non-ASCII unescaped); integers in decimal; a `Double` or `Float` in
/// Swift's shortest round-trip form (`description`, computed by the Swift runtime, not the C
/// library), which reads back to the same bits; NaN and ±∞ as the strings `"NaN"`, `"Infinity"`
/// and `"-Infinity"`. Absent optionals are left out.
enum ArtifactJSON {
    /// The bytes of `value` in the format above.
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let root = ArtifactJSONNode()
        try value.encode(to: ArtifactJSONEncoder(node: root, codingPath: []))
        var out: [UInt8] = []
        root.write(to: &out)
        return out
    }
}

/// A JSON value being built by the encoder; containers fill it in after it is created.
final class ArtifactJSONNode {
    enum Value {
        case empty
        case literal(String)
        case string(String)
        case object([(key: String, node: ArtifactJSONNode)])
        case array([ArtifactJSONNode])
    }

    var value: Value = .empty

    init() {}

    init(literal: String) { value = .literal(literal) }

    init(string: String) { value = .string(string) }

    /// A number in the artifact's format.
    static func number(_ value: Double) -> ArtifactJSONNode {
        if value.isNaN { return ArtifactJSONNode(string: "NaN") }
        if value.isInfinite { return ArtifactJSONNode(string: value < 0 ? "-Infinity" : "Infinity") }
        return ArtifactJSONNode(literal: value.description)
    }

    static func number(_ value: Float) -> ArtifactJSONNode {
        value.isFinite ? ArtifactJSONNode(literal: value.description) : number(Double(value))
    }

    /// The child for `key`, created as an empty object member if there is none yet.
    func member(_ key: String) -> ArtifactJSONNode {
        guard case .object(var members) = value else { preconditionFailure("not an object") }
        if let existing = members.first(where: { $0.key == key }) { return existing.node }
        let node = ArtifactJSONNode()
        members.append((key, node))
        value = .object(members)
        return node
    }

    func set(_ key: String, _ node: ArtifactJSONNode) {
        member(key).value = node.value
    }

    func append(_ node: ArtifactJSONNode) {
        guard case .array(var elements) = value else { preconditionFailure("not an array") }
        elements.append(node)
        value = .array(elements)
    }

    var count: Int {
        if case .array(let elements) = value { return elements.count }
        return 0
    }

    func write(to out: inout [UInt8]) {
        switch value {
        case .empty:
            out.append(contentsOf: "{}".utf8)
        case .literal(let text):
            out.append(contentsOf: text.utf8)
        case .string(let text):
            Self.writeString(text, to: &out)
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                member.node.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                element.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
    }

    private static func writeString(_ text: String, to out: inout [UInt8]) {
        JSONString.appendQuoted(text, to: &out)
    }
}

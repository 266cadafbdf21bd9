import JSON
import Yams

/// Reads a YAML value written in a scenario as the JSON value it stands for (a request body):
/// mappings are objects, sequences arrays; a plain scalar is `null`, `true`, `false`, a number
/// or else a string; a quoted scalar is always a string.
enum YAMLJSON {
    /// The JSON value of `node`.
    /// - Throws: `ScenarioError` at a mapping key that is not a scalar, or an alias or anchor.
    static func value(_ node: Node, file: String) throws(ScenarioError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .string(scalar.string) }
            switch scalar.string {
            case "null", "~": return .null
            case "true": return .bool(true)
            case "false": return .bool(false)
            default:
                if let number = Double(scalar.string), number.isFinite, scalar.string.first.map({ $0.isNumber || $0 == "-" }) == true {
                    return .number(number)
                }
                return .string(scalar.string)
            }
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for item in sequence { items.append(try value(item, file: file)) }
            return .array(items)
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, item) in try YAMLFields.entries(of: mapping, file: file) { members[try YAMLFields.string(key, file: file, what: "a JSON key")] = try value(item, file: file) }
            return .object(members)
        default:
            throw YAMLFields.error(file, node, "a JSON body is written with mappings, lists and scalars only")
        }
    }
}

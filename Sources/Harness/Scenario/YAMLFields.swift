import Yams

/// Reads one YAML mapping of a scenario file strictly: unknown keys, missing required keys and
/// values of the wrong type are `ScenarioError`s at the offending node. (Repeated keys are
/// refused by Yams while composing.)
struct YAMLFields {
    let file: String
    /// The mapping node (for errors about the whole mapping).
    let node: Node
    /// What the mapping is, for messages ("step", "capture 'x'").
    let what: String
    private let values: [String: Node]

    /// Reads `node` as a mapping whose keys must be among `allowed`, merge keys expanded (see
    /// `entries(of:file:)`). With `extensions`, keys starting with `x-` are also allowed, and
    /// left unread: the writer's own, to hold anchors for merge keys.
    init(_ node: Node, file: String, what: String, allowed: [String], extensions: Bool = false) throws(ScenarioError) {
        self.file = file
        self.node = node
        self.what = what
        guard case .mapping(let mapping) = node else {
            throw YAMLFields.error(file, node, "\(what) must be a mapping of keys to values, found \(YAMLFields.kind(node))")
        }
        var values: [String: Node] = [:]
        for (key, value) in try YAMLFields.entries(of: mapping, file: file) {
            guard case .scalar(let scalar) = key else { throw YAMLFields.error(file, key, "\(what): keys must be plain words") }
            let name = scalar.string
            if extensions && name.hasPrefix("x-") { continue }
            guard allowed.contains(name) else {
                let own = extensions ? " (or an x- key of your own)" : ""
                throw YAMLFields.error(file, key, "unknown key \"\(name)\" in \(what); expected one of: \(allowed.joined(separator: ", "))\(own)")
            }
            values[name] = value
        }
        self.values = values
    }

    /// The keys present, in no particular order.
    var keys: Set<String> { Set(values.keys) }

    func has(_ key: String) -> Bool { values[key] != nil }

    /// The raw node of `key`, if present.
    func node(_ key: String) -> Node? { values[key] }

    /// The value of `key` in `node` when it is a mapping that has it (its own keys, or merged
    /// ones), else nil: where an error about a setting read elsewhere points.
    static func child(_ node: Node?, _ key: String) -> Node? {
        guard case .mapping(let mapping)? = node, let entries = try? entries(of: mapping, file: "") else { return nil }
        return entries.first { $0.key.string == key }?.value
    }

    /// A required value; throws naming the missing key.
    func required(_ key: String) throws(ScenarioError) -> Node {
        guard let value = values[key] else { throw YAMLFields.error(file, node, "\(what) needs \"\(key)\"") }
        return value
    }

    func string(_ key: String) throws(ScenarioError) -> String? {
        guard let value = values[key] else { return nil }
        return try YAMLFields.string(value, file: file, what: "\"\(key)\"")
    }

    func requiredString(_ key: String) throws(ScenarioError) -> String {
        try YAMLFields.string(try required(key), file: file, what: "\"\(key)\"")
    }

    func int(_ key: String, minimum: Int = 0, maximum: Int = .max) throws(ScenarioError) -> Int? {
        guard let value = values[key] else { return nil }
        guard case .scalar(let scalar) = value, scalar.style == .plain, let number = Int(scalar.string) else {
            throw YAMLFields.error(file, value, "\"\(key)\" must be a whole number, found \(YAMLFields.kind(value))")
        }
        guard number >= minimum else { throw YAMLFields.error(file, value, "\"\(key)\" must be at least \(minimum)") }
        guard number <= maximum else { throw YAMLFields.error(file, value, "\"\(key)\" must be at most \(maximum)") }
        return number
    }

    func double(_ key: String) throws(ScenarioError) -> Double? {
        guard let value = values[key] else { return nil }
        guard case .scalar(let scalar) = value, scalar.style == .plain, let number = Double(scalar.string), number.isFinite else {
            throw YAMLFields.error(file, value, "\"\(key)\" must be a number, found \(YAMLFields.kind(value))")
        }
        return number
    }

    func bool(_ key: String) throws(ScenarioError) -> Bool? {
        guard let value = values[key] else { return nil }
        guard case .scalar(let scalar) = value, scalar.style == .plain, ["true", "false"].contains(scalar.string) else {
            throw YAMLFields.error(file, value, "\"\(key)\" must be true or false, found \(YAMLFields.kind(value))")
        }
        return scalar.string == "true"
    }

    /// A list of strings (a single string counts as a list of one).
    func strings(_ key: String) throws(ScenarioError) -> [String] {
        guard let value = values[key] else { return [] }
        if case .scalar = value { return [try YAMLFields.string(value, file: file, what: "\"\(key)\"")] }
        return try YAMLFields.sequence(value, file: file, what: "\"\(key)\"").map { (item) throws(ScenarioError) in
            try YAMLFields.string(item, file: file, what: "each item of \"\(key)\"")
        }
    }

    /// A list of nodes (an absent key is an empty list).
    func list(_ key: String) throws(ScenarioError) -> [Node] {
        guard let value = values[key] else { return [] }
        return try YAMLFields.sequence(value, file: file, what: "\"\(key)\"")
    }

    // MARK: Nodes

    static func string(_ node: Node, file: String, what: String) throws(ScenarioError) -> String {
        guard case .scalar(let scalar) = node else { throw error(file, node, "\(what) must be text, found \(kind(node))") }
        return scalar.string
    }

    static func sequence(_ node: Node, file: String, what: String) throws(ScenarioError) -> [Node] {
        guard case .sequence(let sequence) = node else { throw error(file, node, "\(what) must be a list, found \(kind(node))") }
        return Array(sequence)
    }

    /// What `node` names among the things the scenario declares under `<kind>s` (its services,
    /// its pipelines).
    static func declared<Spec>(_ node: Node, file: String, kind: String, in declared: [String: Spec]) throws(ScenarioError) -> Spec {
        let name = try string(node, file: file, what: "a \(kind) name")
        guard let spec = declared[name] else { throw error(file, node, "\(kind) \"\(name)\" is not declared under \"\(kind)s\"") }
        return spec
    }

    /// What this mapping's `kind` key names among `declared` (see `declared(_:file:kind:in:)`);
    /// the key may be left out when the scenario declares exactly one.
    func declared<Spec>(_ kind: String, in declared: [String: Spec]) throws(ScenarioError) -> Spec {
        if let named = values[kind] { return try Self.declared(named, file: file, kind: kind, in: declared) }
        guard declared.count == 1, let only = declared.values.first else {
            throw Self.error(file, node, "\(what) needs \"\(kind)\" (the scenario declares \(declared.count) \(kind)s)")
        }
        return only
    }

    /// An error at `node`'s position.
    static func error(_ file: String, _ node: Node, _ message: String) -> ScenarioError {
        ScenarioError(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, message: message)
    }

    /// "a mapping", "a list", "text \"…\"" — how a node is described in messages.
    static func kind(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): scalar.string.isEmpty ? "nothing" : "\"\(scalar.string.prefix(40))\""
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}

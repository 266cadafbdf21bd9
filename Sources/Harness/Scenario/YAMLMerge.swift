import Yams

/// YAML merge keys in scenario files: `<<: *defaults` (or a list, `<<: [*a, *b]`) inside a
/// mapping stands for the entries of the anchored mapping(s), as YAML 1.1 defines it.
extension YAMLFields {
    /// The entries of `mapping` with its merge keys expanded: every merged entry whose key the
    /// mapping does not write itself, then the mapping's own entries, in order. Of several
    /// merged mappings the first one that has a key wins, and a merged mapping may merge others.
    /// An entry keeps its own node, so an error about it names the line where it is written.
    /// - Throws: at a merge value that is not a mapping or a list of mappings.
    static func entries(of mapping: Node.Mapping, file: String) throws(ScenarioError) -> [(key: Node, value: Node)] {
        var own: [(key: Node, value: Node)] = []
        var merged: [(key: Node, value: Node)] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key, scalar.style == .plain, scalar.string == "<<" else {
                own.append((key, value))
                continue
            }
            let sources = if case .sequence(let sequence) = value { Array(sequence) } else { [value] }
            for source in sources {
                guard case .mapping(let sourceMapping) = source else {
                    throw error(file, source, "a merge key (<<) takes a mapping or a list of mappings, such as *defaults; found \(kind(source))")
                }
                merged.append(contentsOf: try entries(of: sourceMapping, file: file))
            }
        }
        guard !merged.isEmpty else { return own }
        var written = Set(own.compactMap { entry in scalarText(entry.key) })
        return merged.filter { entry in scalarText(entry.key).map { written.insert($0).inserted } ?? true } + own
    }

    private static func scalarText(_ node: Node) -> String? {
        if case .scalar(let scalar) = node { scalar.string } else { nil }
    }
}

import Modes

/// Moving an alias, and saying where it went: a move back to an older version (a rollback) is
/// said as plainly as a move forward.
enum AliasMove {
    /// Points `alias` of `name` at `version`; returns what happened, such as
    /// `alias production moved from version 2 to 1`.
    /// - Throws: `ModelRegistryError` (an unknown version, an alias moved meanwhile by another writer).
    static func point(_ alias: String, of name: String, at version: Int, in registry: ModelRegistry) throws -> String {
        // A corrupt alias is replaced like a missing one.
        let previous = (try? registry.aliasVersion(name: name, alias: alias)) ?? nil
        try registry.setAlias(alias, name: name, version: version)
        return switch previous {
        case version?: "alias \(alias) already pointed at version \(version)"
        case let other?: "alias \(alias) moved from version \(other) to \(version)"
        case nil: "alias \(alias) now points at version \(version)"
        }
    }
}

/// Why the model registry could not do what was asked; each names the model, alias or key.
public enum ModelRegistryError: Error, Equatable, CustomStringConvertible {
    /// A model name or alias breaks the naming rule.
    case invalidName(kind: String, name: String)
    /// No version of the model is registered in the bucket.
    case unknownModel(name: String, bucket: String)
    /// The model has no such alias.
    case unknownAlias(name: String, alias: String, bucket: String)
    /// The model has no such version.
    case unknownVersion(name: String, version: String, bucket: String)
    /// A version written otherwise than the registry writes versions (`1`, `2`, …).
    case invalidVersion(name: String, version: String)
    /// An alias points at a version that is not registered.
    case aliasToMissingVersion(name: String, alias: String, version: Int, bucket: String)
    /// An alias object does not hold a version number.
    case corruptAlias(name: String, alias: String, content: String)
    /// Another writer moved the alias between reading and writing it.
    case aliasMoved(name: String, alias: String)
    /// The stored artifact is not a valid model.
    case corruptArtifact(bucket: String, key: String, reason: String)

    public var description: String {
        switch self {
        case .invalidName(let kind, let name):
            "invalid \(kind) \"\(name)\": use 1–64 letters, digits, '.', '_' or '-', not starting with a digit or '.', and not \"aliases\""
        case .unknownModel(let name, let bucket):
            "no model \"\(name)\" is registered in bucket \"\(bucket)\" (nothing under models/\(name)/)"
        case .unknownAlias(let name, let alias, let bucket):
            "model \"\(name)\" has no alias \"\(alias)\" in bucket \"\(bucket)\""
        case .unknownVersion(let name, let version, let bucket):
            "model \"\(name)\" has no version \(version) in bucket \"\(bucket)\""
        case .invalidVersion(let name, let version):
            "\"\(version)\" is not a version of model \"\(name)\": versions are written 1, 2, 3, … (no sign, no leading zero)"
        case .aliasToMissingVersion(let name, let alias, let version, let bucket):
            "alias \"\(alias)\" of model \"\(name)\" points at version \(version), which is not registered in bucket \"\(bucket)\""
        case .corruptAlias(let name, let alias, let content):
            "alias \"\(alias)\" of model \"\(name)\" does not hold a version number: \"\(content.prefix(40))\""
        case .aliasMoved(let name, let alias):
            "alias \"\(alias)\" of model \"\(name)\" was moved by another writer meanwhile; read it again and retry"
        case .corruptArtifact(let bucket, let key, let reason):
            "model artifact \(key) in bucket \"\(bucket)\" is not usable: \(reason)"
        }
    }
}

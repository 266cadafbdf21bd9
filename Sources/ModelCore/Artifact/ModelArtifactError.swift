/// Why bytes could not be loaded as a model artifact. Each description says what was expected.
public enum ModelArtifactError: Error, Equatable, CustomStringConvertible {
    /// The first line is not an artifact header.
    case notAnArtifact
    /// The artifact was written by a schema this version cannot read.
    case unsupportedSchema(found: String)
    /// There are fewer (or more) body bytes than the header declares.
    case wrongLength(declared: Int, found: Int)
    /// The body's SHA-256 is not the one in the header: the file was edited or corrupted.
    case hashMismatch(declared: String, computed: String)
    /// The body is not a well-formed model; the text says where.
    case malformed(String)
    /// The artifact holds another kind of model than the one asked for (e.g. a tabular model
    /// loaded as a text classifier); both are named by their `kind` (`text-classifier`,
    /// `tabular-logistic-regression`).
    case wrongKind(found: String, expected: String)

    public var description: String {
        switch self {
        case .notAnArtifact:
            "not a Rehearsal model artifact: expected a first line like '\(ArtifactEnvelope.magic)\(ArtifactEnvelope.schemaVersion) sha256=… bytes=…'"
        case .unsupportedSchema(let found):
            "unsupported model artifact schema '\(found)': this version of Rehearsal reads schema \(ArtifactEnvelope.schemaVersion)"
        case .wrongLength(let declared, let found):
            found < declared
                ? "model artifact is truncated: its header declares \(declared) body bytes but only \(found) are present"
                : "model artifact has \(found - declared) unexpected trailing bytes: its header declares \(declared) body bytes, found \(found)"
        case .hashMismatch(let declared, let computed):
            "model artifact content hash mismatch: header says sha256=\(declared) but the body hashes to \(computed); the file was edited or corrupted"
        case .malformed(let reason):
            "malformed model artifact: \(reason)"
        case .wrongKind(let found, let expected):
            "the model artifact holds a \(found) model, but a \(expected) model was expected"
        }
    }
}

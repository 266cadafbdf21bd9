/// Which kind of model an artifact's body holds: its `kind` field. Text-classifier artifacts,
/// the first kind, have no such field (they were written before it existed, and still are
/// written without it so their bytes and ids stay the same).
enum ArtifactKind: String {
    case textClassifier = "text-classifier"
    case tabularLogisticRegression = "tabular-logistic-regression"

    /// Throws `ModelArtifactError.wrongKind` unless the body being decoded holds this kind.
    func require(in decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let found = try container.decodeIfPresent(String.self, forKey: .kind) ?? ArtifactKind.textClassifier.rawValue
        guard found == rawValue else { throw ModelArtifactError.wrongKind(found: found, expected: rawValue) }
    }

    private enum Key: String, CodingKey { case kind }
}

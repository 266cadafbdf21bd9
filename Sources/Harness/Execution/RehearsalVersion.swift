/// The Rehearsal version recorded in golden headers.
public enum RehearsalVersion {
    /// The current version.
    public static let current = "0.1.0"
}

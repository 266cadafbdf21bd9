/// One labelled row of a data slice.
struct SliceRow: Sendable {
    /// A stable id: the corpus record number, or the file's id column (`-<n>` added for repeats).
    let id: String
    let label: String
    let text: String
}

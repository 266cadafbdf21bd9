import JSON

/// Detects unresolved version-control merge conflicts in a golden file.
public enum MergeConflict {
    /// True when `text` has a line starting with `<<<<<<<` and a later line starting with
    /// `>>>>>>>`, the markers git leaves in a conflicted file. Such a golden counts as missing.
    public static func hasMarkers(_ text: String) -> Bool {
        var sawStart = false
        for line in JSONLines.lines(of: text) {
            if line.hasPrefix("<<<<<<<") { sawStart = true }
            if sawStart && line.hasPrefix(">>>>>>>") { return true }
        }
        return false
    }
}

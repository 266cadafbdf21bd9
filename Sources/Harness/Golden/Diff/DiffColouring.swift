/// ANSI colours for a unified diff shown on a terminal.
public enum DiffColouring {
    /// The diff with `---`/`+++` in bold, `@@` lines in cyan, removed lines in red and added
    /// lines in green. Every coloured line ends its colour before the newline.
    public static func colour(_ diff: String) -> String {
        diff.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let code: String? =
                if line.hasPrefix("---") || line.hasPrefix("+++") { "1" }
                else if line.hasPrefix("@@") { "36" }
                else if line.hasPrefix("-") { "31" }
                else if line.hasPrefix("+") { "32" }
                else { nil }
            guard let code else { return String(line) }
            return "\u{1B}[\(code)m\(line)\u{1B}[0m"
        }.joined(separator: "\n")
    }
}

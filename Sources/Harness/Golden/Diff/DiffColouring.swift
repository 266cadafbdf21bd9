/// ANSI colours for a unified diff shown on a terminal.
public enum DiffColouring {
    private static let bold = "1", cyan = "36", red = "31", green = "32"
    private static let reverse = "\u{1B}[7m", reverseOff = "\u{1B}[27m"

    /// The diff with its `---`/`+++` header in bold, `@@` lines in cyan, removed lines in red and
    /// added lines in green. Where removed lines are followed by as many added lines, each pair's
    /// differing middle (between the start and the end they share) is also in reverse video, so
    /// one changed field of a long line stands out. Every coloured line ends its colour before
    /// the newline.
    public static func colour(_ diff: String) -> String {
        let lines = diff.split(separator: "\n", omittingEmptySubsequences: false)
        var output: [String] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if line.hasPrefix("--- "), index + 1 < lines.count, lines[index + 1].hasPrefix("+++ ") {
                output += [painted(line, bold), painted(lines[index + 1], bold)]
                index += 2
            } else if line.hasPrefix("-") {
                let removedEnd = lines[index...].firstIndex { !$0.hasPrefix("-") } ?? lines.endIndex
                let addedEnd = lines[removedEnd...].firstIndex { !$0.hasPrefix("+") } ?? lines.endIndex
                let removed = lines[index..<removedEnd], added = lines[removedEnd..<addedEnd]
                if removed.count == added.count {
                    let pairs = zip(removed, added).map { marked($0, $1) }
                    output += pairs.map(\.old) + pairs.map(\.new)
                } else {
                    output += removed.map { painted($0, red) } + added.map { painted($0, green) }
                }
                index = addedEnd
            } else {
                output.append(line.hasPrefix("@@") ? painted(line, cyan) : line.hasPrefix("+") ? painted(line, green) : String(line))
                index += 1
            }
        }
        return output.joined(separator: "\n")
    }

    /// `line` in colour `code`.
    private static func painted(_ line: Substring, _ code: String) -> String {
        "\u{1B}[\(code)m\(line)\u{1B}[0m"
    }

    /// A removed and an added line in red and green, each with what differs from the other in
    /// reverse video (nothing, on the side where the other only has more).
    private static func marked(_ old: Substring, _ new: Substring) -> (old: String, new: String) {
        let oldText = Array(old.dropFirst()), newText = Array(new.dropFirst())
        var start = 0
        while start < oldText.count, start < newText.count, oldText[start] == newText[start] { start += 1 }
        var end = 0
        while end < oldText.count - start, end < newText.count - start,
              oldText[oldText.count - 1 - end] == newText[newText.count - 1 - end] {
            end += 1
        }
        func render(_ sign: String, _ text: [Character], _ code: String) -> String {
            let middle = String(text[start..<(text.count - end)])
            let marked = middle.isEmpty ? "" : reverse + middle + reverseOff
            return painted(Substring(sign + String(text[..<start]) + marked + String(text[(text.count - end)...])), code)
        }
        return (render("-", oldText, red), render("+", newText, green))
    }
}

import JSON

/// A unified diff (as `diff -u` and `git diff` print it) between two texts.
public enum UnifiedDiff {
    /// The diff from `old` to `new`, or the empty string when they are equal.
    ///
    /// Output starts with `--- oldLabel` and `+++ newLabel`, then `@@ -a,b +c,d @@` hunks with
    /// `context` unchanged lines around each change; hunks closer than twice the context merge.
    /// A last line without a final newline is followed by `\ No newline at end of file`.
    public static func make(old: String, new: String, oldLabel: String, newLabel: String, context: Int = 3) -> String {
        guard old != new else { return "" }
        let oldLines = lines(of: old), newLines = lines(of: new)
        // Lines are compared with their terminators, so `b` at the end without a newline
        // differs from `b\n`.
        let script = LineDiff.edits(old: terminated(oldLines), new: terminated(newLines))
        var output = "--- \(oldLabel)\n+++ \(newLabel)\n"
        for hunk in hunks(script, context: context) {
            output += header(hunk, script: script)
            for edit in script[hunk] {
                switch edit {
                case .same(let o, _):
                    output += " " + oldLines.lines[o] + "\n"
                    if o == oldLines.lines.count - 1 && !oldLines.endsWithNewline { output += noNewline }
                case .delete(let o):
                    output += "-" + oldLines.lines[o] + "\n"
                    if o == oldLines.lines.count - 1 && !oldLines.endsWithNewline { output += noNewline }
                case .insert(let n):
                    output += "+" + newLines.lines[n] + "\n"
                    if n == newLines.lines.count - 1 && !newLines.endsWithNewline { output += noNewline }
                }
            }
        }
        return output
    }

    private static let noNewline = "\\ No newline at end of file\n"

    private static func lines(of text: String) -> (lines: [Substring], endsWithNewline: Bool) {
        if text.isEmpty { return ([], true) }
        var lines = JSONLines.lines(of: text)
        let endsWithNewline = text.last == "\n" || text.last == "\r\n"
        if endsWithNewline { lines.removeLast() }
        return (lines, endsWithNewline)
    }

    private static func terminated(_ text: (lines: [Substring], endsWithNewline: Bool)) -> [Substring] {
        text.lines.enumerated().map { index, line in
            index == text.lines.count - 1 && !text.endsWithNewline ? line : line + "\n"
        }
    }

    /// Ranges of the edit script to print: each change with its context, nearby ones merged.
    private static func hunks(_ script: [LineEdit], context: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        for (position, edit) in script.enumerated() {
            if case .same = edit { continue }
            let lower = max(0, position - context)
            let upper = min(script.count, position + context + 1)
            if let last = ranges.last, lower <= last.upperBound {
                ranges[ranges.count - 1] = last.lowerBound..<max(last.upperBound, upper)
            } else {
                ranges.append(lower..<upper)
            }
        }
        return ranges
    }

    private static func header(_ hunk: Range<Int>, script: [LineEdit]) -> String {
        var oldStart: Int?, newStart: Int?
        var oldCount = 0, newCount = 0
        // Where each side stands before the hunk, for hunks that hold no line of that side.
        var oldBefore = 0, newBefore = 0
        for edit in script[..<hunk.lowerBound] {
            switch edit {
            case .same: oldBefore += 1; newBefore += 1
            case .delete: oldBefore += 1
            case .insert: newBefore += 1
            }
        }
        for edit in script[hunk] {
            switch edit {
            case .same(let o, let n):
                oldStart = oldStart ?? o; newStart = newStart ?? n
                oldCount += 1; newCount += 1
            case .delete(let o):
                oldStart = oldStart ?? o
                oldCount += 1
            case .insert(let n):
                newStart = newStart ?? n
                newCount += 1
            }
        }
        return "@@ -\(range(oldStart.map { $0 + 1 } ?? oldBefore, oldCount)) +\(range(newStart.map { $0 + 1 } ?? newBefore, newCount)) @@\n"
    }

    /// `start,count` as GNU diff writes it: `,1` omitted; an empty side names the line before.
    private static func range(_ start: Int, _ count: Int) -> String {
        count == 1 ? "\(start)" : "\(start),\(count)"
    }
}

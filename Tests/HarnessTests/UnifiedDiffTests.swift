import Foundation
import Harness
import Testing

@Suite("Unified diff")
struct UnifiedDiffTests {
    @Test("equal texts give no diff")
    func equal() {
        #expect(UnifiedDiff.make(old: "a\nb\n", new: "a\nb\n", oldLabel: "g", newLabel: "a") == "")
    }

    @Test("a change in the middle gets three context lines and a GNU-style hunk header")
    func middleChange() {
        let old = (1...10).map { "line \($0)\n" }.joined()
        let new = old.replacingOccurrences(of: "line 5\n", with: "line five\n")
        #expect(UnifiedDiff.make(old: old, new: new, oldLabel: "golden/s/c.txt", newLabel: "actual") == """
            --- golden/s/c.txt
            +++ actual
            @@ -2,7 +2,7 @@
             line 2
             line 3
             line 4
            -line 5
            +line five
             line 6
             line 7
             line 8

            """)
    }

    @Test("changes more than twice the context apart make separate hunks; closer ones merge")
    func hunks() {
        let old = (1...20).map { "\($0)\n" }.joined()
        var lines = (1...20).map { "\($0)" }
        lines[1] = "two"
        lines[17] = "eighteen"
        let new = lines.map { $0 + "\n" }.joined()
        let diff = UnifiedDiff.make(old: old, new: new, oldLabel: "o", newLabel: "n")
        #expect(diff.components(separatedBy: "\n").filter { $0.hasPrefix("@@") } == ["@@ -1,5 +1,5 @@", "@@ -15,6 +15,6 @@"])
        lines[8] = "nine"
        let merged = UnifiedDiff.make(old: old, new: lines.map { $0 + "\n" }.joined(), oldLabel: "o", newLabel: "n")
        #expect(merged.components(separatedBy: "\n").filter { $0.hasPrefix("@@") } == ["@@ -1,12 +1,12 @@", "@@ -15,6 +15,6 @@"])
    }

    @Test("insertions into and deletions to empty files use zero ranges")
    func emptySides() {
        #expect(UnifiedDiff.make(old: "", new: "a\nb\n", oldLabel: "o", newLabel: "n") == "--- o\n+++ n\n@@ -0,0 +1,2 @@\n+a\n+b\n")
        #expect(UnifiedDiff.make(old: "a\n", new: "", oldLabel: "o", newLabel: "n") == "--- o\n+++ n\n@@ -1 +0,0 @@\n-a\n")
    }

    @Test("a missing final newline is marked")
    func noFinalNewline() {
        #expect(UnifiedDiff.make(old: "a\nb", new: "a\nb\n", oldLabel: "o", newLabel: "n")
            == "--- o\n+++ n\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n")
    }

    @Test("the edit script is minimal: a moved line costs one deletion and one insertion")
    func minimal() {
        let diff = UnifiedDiff.make(old: "a\nb\nc\nd\n", new: "b\nc\nd\na\n", oldLabel: "o", newLabel: "n")
        let changes = diff.split(separator: "\n").filter { ($0.hasPrefix("-") || $0.hasPrefix("+")) && !$0.hasPrefix("---") && !$0.hasPrefix("+++") }
        #expect(changes == ["-a", "+a"])
    }

    @Test("applying the diff's lines rebuilds both texts")
    func reconstructs() {
        var state: UInt64 = 42
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        for _ in 0..<50 {
            let old = (0..<Int(next() % 30)).map { _ in "\(next() % 5)\n" }.joined()
            let new = (0..<Int(next() % 30)).map { _ in "\(next() % 5)\n" }.joined()
            let diff = UnifiedDiff.make(old: old, new: new, oldLabel: "o", newLabel: "n", context: 1_000)
            guard old != new else { continue }
            let body = diff.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(3).dropLast()
            let rebuiltOld = body.filter { !$0.hasPrefix("+") }.map { $0.dropFirst() + "\n" }.joined()
            let rebuiltNew = body.filter { !$0.hasPrefix("-") }.map { $0.dropFirst() + "\n" }.joined()
            #expect(rebuiltOld == old)
            #expect(rebuiltNew == new)
        }
    }

    @Test("wholly different large files still give a correct diff, as one replacement")
    func large() {
        let old = (0..<1500).map { "old \($0)\n" }.joined()
        let new = "same\n" + (0..<1500).map { "new \($0)\n" }.joined()
        let diff = UnifiedDiff.make(old: "same\n" + old, new: new, oldLabel: "o", newLabel: "n", context: 1)
        let lines = diff.split(separator: "\n")
        #expect(lines[2] == "@@ -1,1501 +1,1501 @@")
        #expect(lines.filter { $0.hasPrefix("-old") }.count == 1500)
        #expect(lines.filter { $0.hasPrefix("+new") }.count == 1500)
    }
}

import Harness
import Testing

@Suite struct DiffColouringTests {
    private let red = "\u{1B}[31m", green = "\u{1B}[32m", bold = "\u{1B}[1m", cyan = "\u{1B}[36m", end = "\u{1B}[0m"
    private let on = "\u{1B}[7m", off = "\u{1B}[27m"

    @Test("a changed line shows, in reverse video, only what changed")
    func pairedLinesMarkTheirDifference() {
        let diff = """
            --- golden/x.jsonl
            +++ actual x.jsonl
            @@ -1,2 +1,2 @@
             {"week":1}
            -{"id":"abc","rows":12}
            +{"id":"abXYc","rows":12}
            """
        let lines = DiffColouring.colour(diff).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines == [
            bold + "--- golden/x.jsonl" + end, bold + "+++ actual x.jsonl" + end, cyan + "@@ -1,2 +1,2 @@" + end, " {\"week\":1}",
            red + "-{\"id\":\"ab" + "c\",\"rows\":12}" + end,  // nothing removed: only the new line has more
            green + "+{\"id\":\"ab" + on + "XY" + off + "c\",\"rows\":12}" + end,
        ])
    }

    @Test("each of several changed lines is paired with its counterpart")
    func severalPairs() {
        let colour = DiffColouring.colour("-a1b\n-c2d\n+a9b\n+c8d\n")
        #expect(colour == [red + "-a" + on + "1" + off + "b" + end, red + "-c" + on + "2" + off + "d" + end,
                           green + "+a" + on + "9" + off + "b" + end, green + "+c" + on + "8" + off + "d" + end, ""].joined(separator: "\n"))
    }

    @Test("removed and added lines of different counts are coloured whole; a removed line starting with -- is not a header")
    func unpairedLines() {
        let colour = DiffColouring.colour("-one\n--- two\n+three\n")
        #expect(colour == [red + "-one" + end, red + "--- two" + end, green + "+three" + end, ""].joined(separator: "\n"))
    }
}

import Corpus
import Testing

@Suite("CSV reading (RFC 4180)")
struct CSVReaderTests {
    func read(_ text: String) -> (records: [CSVRecord], problems: [CSVProblem]) {
        CSVReader.readAll(Array(text.utf8))
    }

    @Test("plain fields, LF and CRLF line ends, no final newline")
    func plain() {
        let (records, problems) = read("a,b,c\r\n1,2,3\n4,5,6")
        #expect(problems.isEmpty)
        #expect(records.map(\.fields) == [["a", "b", "c"], ["1", "2", "3"], ["4", "5", "6"]])
        #expect(records.map(\.line) == [1, 2, 3])
    }

    @Test("quoted fields hold separators, doubled quotes and line breaks; lines keep counting")
    func quoted() {
        let (records, problems) = read("x,\"a, \"\"b\"\"\",y\r\nq,\"line1\r\nline2\nline3\",z\nlast,1,2\n")
        #expect(problems.isEmpty)
        #expect(records[0].fields == ["x", "a, \"b\"", "y"])
        #expect(records[1].fields == ["q", "line1\r\nline2\nline3", "z"])
        #expect(records[2].line == 5)
    }

    @Test("a lone CR ends a record; empty fields and empty quoted fields are kept")
    func loneCRAndEmpty() {
        let (records, _) = read("a,,\"\"\rb,c,d")
        #expect(records.map(\.fields) == [["a", "", ""], ["b", "c", "d"]])
        #expect(records.map(\.line) == [1, 2])
    }

    @Test("a quote inside an unquoted field is kept as text")
    func strayQuote() {
        #expect(read("5\" screen,ok\n").records[0].fields == ["5\" screen", "ok"])
    }

    @Test("invalid UTF-8 becomes U+FFFD")
    func invalidUTF8() {
        let bytes: [UInt8] = Array("ok,".utf8) + [0xFF, 0x61, 0xC3] + Array("\n".utf8)
        let (records, problems) = CSVReader.readAll(bytes)
        #expect(problems.isEmpty)
        #expect(records[0].fields == ["ok", "\u{FFFD}a\u{FFFD}"])
    }

    @Test("text after a closing quote is reported with its line, and reading goes on")
    func textAfterQuote() {
        let (records, problems) = read("h1,h2\n\"a\"b,c\nd,e\n")
        #expect(records.map(\.fields) == [["h1", "h2"], ["d", "e"]])
        #expect(problems.count == 1)
        #expect(problems[0].line == 2)
        #expect(problems[0].message.contains("after the closing quote"))
    }

    @Test("a quoted field that never closes is reported with the line it opened on")
    func unterminated() {
        let (records, problems) = read("a,b\nc,\"open\nmore text\n")
        #expect(records.map(\.fields) == [["a", "b"]])
        #expect(problems.map(\.line) == [2])
        #expect(problems[0].description.contains("line 2: quoted field opened on line 2 is never closed"))
    }

    @Test("a byte-order mark is skipped; empty lines between records are skipped, lines still count")
    func bomAndBlankLines() {
        let (records, problems) = CSVReader.readAll([0xEF, 0xBB, 0xBF] + Array("a,b\n\n\r\nc,d\n".utf8))
        #expect(problems.isEmpty)
        #expect(records.map(\.fields) == [["a", "b"], ["c", "d"]])
        #expect(records.map(\.line) == [1, 4])
    }

    @Test("a problem after a multi-line quoted record names its own line")
    func problemAfterMultilineRecord() {
        let (_, problems) = read("\"one\ntwo\nthree\",x\n\"bad\"y,z\n")
        #expect(problems.map(\.line) == [4])
    }

    @Test("no input has no records")
    func empty() {
        #expect(read("").records.isEmpty)
    }
}

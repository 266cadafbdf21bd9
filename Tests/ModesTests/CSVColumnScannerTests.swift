import Corpus
import Determinism
import Foundation
import Modes
import ModelCore
import Testing

/// The batch job's lean CSV scanner must read exactly what Corpus's `CSVReader` reads.
@Suite struct CSVColumnScannerTests {
    /// Every record as `CSVReader` sees it: fields or problem, with its line.
    private func reference(_ bytes: [UInt8]) -> [String] {
        var reader = CSVReader(bytes: bytes)
        var out: [String] = []
        while true {
            do {
                guard let record = try reader.next() else { break }
                out.append("\(record.line): \(record.fields)")
            } catch {
                out.append("\(error.line): problem \(error.message)")
            }
        }
        return out
    }

    private func scanned(_ bytes: [UInt8], columns: [Int]? = nil) -> [String] {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = CSVColumnScanner(bytes: buffer)
            var values: [String] = []
            var out: [String] = []
            while let record = scanner.next(columns: columns, into: &values) {
                out.append(record.problem.map { "\(record.line): problem \($0)" } ?? "\(record.line): \(values)")
            }
            return out
        }
    }

    @Test(arguments: [
        "a,b\n1,2\n", "a,\"b,c\"\r\n\"x\"\"y\",z", "\"multi\nline\",2\r3,4\r\n", "\"open,never\nclosed",
        "\"x\"y,2\nnext,row\n", "a\"b,c\n", "\n\n,\n", "\u{FEFF}id,text\r\n\r\n1,x\n", "\"\",\"\"\"\"", "\u{FF}\u{FE},ok\n",
    ])
    func agreesWithCSVReaderOnTrickyInput(_ text: String) {
        let bytes = text == "\u{FF}\u{FE},ok\n" ? [0xFF, 0xFE, 0x2C, 0x6F, 0x6B, 0x0A] : Array(text.utf8)
        #expect(scanned(bytes) == reference(bytes))
    }

    @Test func agreesWithCSVReaderOnRandomInput() {
        let alphabet: [UInt8] = [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: ","), UInt8(ascii: "\""),
                                 0x0A, 0x0D, 0x20, 0xC3, 0xA9, 0xFF]
        var random = SplitMix64(seed: 2026)
        for _ in 0..<3000 {
            let bytes = (0..<random.nextIndex(below: 40)).map { _ in alphabet[random.nextIndex(below: alphabet.count)] }
            #expect(scanned(bytes) == reference(bytes), "input \(bytes)")
        }
    }

    @Test func readsOnlyTheColumnsAskedFor() {
        let bytes = Array("id,x,text\n7,skip,\"hello, \"\"world\"\"\"\n8\n".utf8)
        #expect(scanned(bytes, columns: [2, 0]) == ["1: [\"text\", \"id\"]", "2: [\"hello, \\\"world\\\"\", \"7\"]", "3: [\"\", \"8\"]"])
    }
}

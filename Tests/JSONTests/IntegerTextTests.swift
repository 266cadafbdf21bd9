import JSON
import Testing

@Suite("Integers written without strings: the same text as String(value)")
struct IntegerTextTests {
    private func written(_ value: Int) -> String {
        var out: [UInt8] = Array("x".utf8)  // appends, leaving what is there
        CanonicalNumber.appendInteger(value, to: &out)
        return String(decoding: out.dropFirst(), as: UTF8.self)
    }

    @Test("edges", arguments: [0, 1, -1, 9, 10, -10, 99, 100, 1_000_000, Int(Int32.max), Int(Int32.min), Int.max, Int.min, Int.max - 1])
    func edges(value: Int) {
        #expect(written(value) == String(value))
    }

    @Test("random values of every length")
    func random() {
        var state: UInt64 = 0x5EED
        for round in 0..<100_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let value = Int(bitPattern: UInt(state)) >> (round % 64)
            #expect(written(value) == String(value))
        }
    }
}

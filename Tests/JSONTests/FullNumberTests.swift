import JSON
import Testing

@Suite("Full-precision numbers: the online answers' fast path writes what the canonical writer writes")
struct FullNumberTests {
    private func fast(_ value: Double) -> String {
        var out: [UInt8] = Array("x".utf8)
        CanonicalNumber.append(value, to: &out)
        return String(decoding: out.dropFirst(), as: UTF8.self)
    }

    @Test(
        "chosen values: plain, whole, tiny, huge, zero and non-finite",
        arguments: [
            (0.5, "0.5"), (1.0, "1"), (0.0, "0"), (-0.0, "0"), (-7.0, "-7"), (0.00485728960249612, "0.00485728960249612"),
            (0.0001, "0.0001"), (0.00001, "0.00001"), (1e-7, "1e-7"), (1.5e-7, "1.5e-7"), (123456789012.5, "123456789012.5"),
            (9007199254740992, "9007199254740992"), (1e16, "10000000000000000"), (1e21, "1e+21"), (Double.leastNonzeroMagnitude, "5e-324"),
            (.nan, "\"NaN\""), (.infinity, "\"Infinity\""), (-.infinity, "\"-Infinity\""),
        ])
    func chosen(value: Double, text: String) {
        #expect(fast(value) == text)
        #expect(CanonicalNumber.text(value) == text)
    }

    @Test("random values of every size agree with the canonical writer")
    func random() {
        var state: UInt64 = 0xFEED
        for round in 0..<200_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let value: Double
            switch round % 4 {
            case 0: value = Double(state >> 11) / Double(1 << 53)  // a probability
            case 1: value = Double(state >> 11) / Double(1 << 52) - 1  // a score
            case 2: value = Double(bitPattern: state)  // any double
            default: value = Double(Int64(bitPattern: state) >> Int64(state % 64)) / 1_000  // whole numbers and boundaries
            }
            if fast(value) != CanonicalNumber.text(value) {
                Issue.record("\(value): \(fast(value)) != \(CanonicalNumber.text(value))")
                return
            }
        }
    }
}

import JSON
import Testing

@Suite("Rounded numbers: the batch shards' fast path writes what the canonical writer writes")
struct RoundedNumberTests {
    private func fast(_ value: Double, _ decimals: Int = 6) -> String {
        var out: [UInt8] = []
        CanonicalNumber.appendRounded(value, toDecimals: decimals, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private func canonical(_ value: Double, _ decimals: Int = 6) -> String {
        CanonicalNumber.text(CanonicalNumber.rounded(value, toDecimals: decimals))
    }

    @Test(
        "chosen values",
        arguments: [
            (0.5, "0.5"), (1.0, "1"), (0.0, "0"), (-0.0, "0"), (-0.0000004, "0"), (0.0000006, "0.000001"),
            (0.0000004, "0"), (0.123456789, "0.123457"), (-0.25, "-0.25"), (0.000167, "0.000167"), (0.99983, "0.99983"),
            (0.9999996, "1"), (12.5, "12.5"), (123456.5, "123456.5"), (-7.0, "-7"),
            (.nan, "\"NaN\""), (.infinity, "\"Infinity\""), (-.infinity, "\"-Infinity\""),
        ])
    func chosen(value: Double, text: String) {
        #expect(fast(value) == text)
        #expect(canonical(value) == text)
    }

    @Test("random values of every size and all decimal counts agree with the canonical writer")
    func random() {
        var state: UInt64 = 0xC0FFEE
        for round in 0..<200_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let value: Double
            switch round % 4 {
            case 0: value = Double(state >> 11) / Double(1 << 53)  // a probability
            case 1: value = Double(state >> 11) / Double(1 << 52) - 1  // a score
            case 2: value = Double(bitPattern: state)  // any double
            default: value = Double(Int64(bitPattern: state) >> Int64(state % 64)) / 1_000_000  // near the boundaries
            }
            let decimals = Int(state % 7)
            if fast(value, decimals) != canonical(value, decimals) {
                Issue.record("\(value) to \(decimals) decimals: \(fast(value, decimals)) != \(canonical(value, decimals))")
                return
            }
        }
    }
}

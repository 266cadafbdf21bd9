import JSON
import Testing

@Suite("Full-precision numbers: shortest round-trip digits in ECMAScript's layout")
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

    @Test("random values of every size read back as themselves and agree with a plain reference layout")
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
            let text = fast(value)
            let readBack = text.hasPrefix("\"") ? nil : Double(text)
            if text != CanonicalNumber.text(value) || text != Self.reference(value)
                || (value.isFinite && readBack != value && !(value == 0 && readBack == 0)) {
                Issue.record("\(value): \(text), text \(CanonicalNumber.text(value)), reference \(Self.reference(value))")
                return
            }
        }
    }

    /// ECMAScript's Number::toString, written the slow and obvious way (characters and string
    /// splitting) from Swift's shortest digits, for finite values; NaN and infinities as strings.
    private static func reference(_ value: Double) -> String {
        if value.isNaN { return "\"NaN\"" }
        if value.isInfinite { return value < 0 ? "\"-Infinity\"" : "\"Infinity\"" }
        if value == 0 { return "0" }
        let parts = abs(value).description.split(separator: "e")
        var digits = Array(parts[0].filter { $0 != "." })
        var n = (parts[0].firstIndex(of: ".").map { parts[0].distance(from: parts[0].startIndex, to: $0) } ?? parts[0].count)
            + (parts.count == 2 ? Int(parts[1])! : 0)
        while digits.first == "0" {
            digits.removeFirst()
            n -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        let k = digits.count, s = String(digits), sign = value < 0 ? "-" : ""
        if k <= n && n <= 21 { return sign + s + String(repeating: "0", count: n - k) }
        if 0 < n && n <= 21 { return sign + String(digits[..<n]) + "." + String(digits[n...]) }
        if -6 < n && n <= 0 { return sign + "0." + String(repeating: "0", count: -n) + s }
        let exponent = (n - 1 < 0 ? "e-" : "e+") + String(abs(n - 1))
        return sign + String(digits[0]) + (k > 1 ? "." + String(digits[1...]) : "") + exponent
    }
}

/// The fixed text form of a number in canonical JSON.
///
/// Finite numbers are written exactly as ECMAScript's `Number.prototype.toString` writes them,
/// the form RFC 8785 (JSON Canonicalization Scheme) adopts: the shortest digit string that reads
/// back as the same `Double`, in plain notation for decimal exponents from 10⁻⁶ up to 10²¹
/// and in `d.ddde±x` notation outside that range. So integers print as integers (`3`, not
/// `3.0`), `0.1` prints as `0.1`, and no two different doubles share a text. Shortest
/// round-trip was chosen over a fixed number of significant digits because it never hides a
/// change in the last bit (goldens stay exact) while staying readable; fuzzy comparisons are
/// the job of declared tolerances, not of the text form.
///
/// `-0` is written `0` (as in RFC 8785). JSON has no non-finite numbers, so `NaN`, `+∞` and
/// `-∞` are written as the strings `"NaN"`, `"Infinity"` and `"-Infinity"`: visible in the
/// golden and still valid JSON.
enum CanonicalNumber {
    static func text(_ value: Double) -> String {
        if value.isNaN { return "\"NaN\"" }
        if value.isInfinite { return value < 0 ? "\"-Infinity\"" : "\"Infinity\"" }
        if value == 0 { return "0" }
        let sign = value < 0 ? "-" : ""
        let (digits, exponent) = shortestDigits(abs(value))
        return sign + ecmaScriptLayout(digits: digits, pointPosition: exponent)
    }

    /// The shortest round-trip significant digits of a positive finite double (no leading or
    /// trailing zeros) and `n` such that the value is `0.digits × 10ⁿ`.
    private static func shortestDigits(_ value: Double) -> (digits: [Character], pointPosition: Int) {
        // Swift's description is the shortest round-trip representation; only its layout varies.
        let text = value.description
        let parts = text.split(separator: "e", maxSplits: 1)
        let mantissa = parts[0]
        let exponent = parts.count == 2 ? Int(parts[1])! : 0
        var digits: [Character] = []
        var pointPosition = 0
        var seenPoint = false
        for character in mantissa {
            if character == "." {
                seenPoint = true
                continue
            }
            digits.append(character)
            if !seenPoint { pointPosition += 1 }
        }
        while digits.first == "0" {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        return (digits, pointPosition + exponent)
    }

    /// ECMAScript Number::toString layout for digits `s` (k of them) and point position n.
    private static func ecmaScriptLayout(digits: [Character], pointPosition n: Int) -> String {
        let k = digits.count
        let s = String(digits)
        if k <= n && n <= 21 {
            return s + String(repeating: "0", count: n - k)
        }
        if 0 < n && n <= 21 {
            return String(digits[0..<n]) + "." + String(digits[n...])
        }
        if -6 < n && n <= 0 {
            return "0." + String(repeating: "0", count: -n) + s
        }
        let e = n - 1
        let exponent = (e < 0 ? "e-" : "e+") + String(abs(e))
        if k == 1 { return s + exponent }
        return String(digits[0]) + "." + String(digits[1...]) + exponent
    }
}

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
public enum CanonicalNumber {
    /// The canonical text of `value`.
    public static func text(_ value: Double) -> String {
        var bytes: [UInt8] = []
        append(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The most bytes `writeInteger(_:into:)` writes (`Int.min`: a sign and 19 digits).
    public static let maximumIntegerLength = 20

    /// The most bytes `write(_:into:)` writes (a sign, then at most `0.00000` and 17 digits,
    /// or 17 digits with a point and a 5-byte exponent).
    public static let maximumTextLength = 32

    /// Appends `value` in decimal, as `String(value)` writes it (`-` before a negative one), without
    /// making a string: for the integers of scores files and answers written row by row.
    public static func appendInteger(_ value: Int, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumIntegerLength) { buffer in
            let count = writeInteger(value, into: buffer.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }

    /// Writes the bytes `appendInteger(_:to:)` appends at `out`, which has room for
    /// `maximumIntegerLength` of them, and returns how many it wrote.
    public static func writeInteger(_ value: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var magnitude = value.magnitude
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        let sign = value < 0 ? 1 : 0
        if value < 0 { out[0] = UInt8(ascii: "-") }
        var position = sign + digits
        repeat {
            position -= 1
            out[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        return sign + digits
    }

    /// Appends exactly `text(value)`: for the full-precision numbers of online answers, scores
    /// files and goldens (see `write(_:into:)`).
    public static func append(_ value: Double, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumTextLength) { buffer in
            let count = write(value, into: buffer.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }

    /// Writes exactly `text(value)` at `out`, which has room for `maximumTextLength` bytes, and
    /// returns how many it wrote: for files written row by row.
    ///
    /// The digits are those of Swift's `description` (the shortest round-trip digits), taken as
    /// bytes without making a string — `write(to:)` hands a stream the bytes it formatted on the
    /// stack (through the standard library's `_writeASCII` hook; were that hook gone, the stream
    /// would be given a string instead, with the same bytes) — and laid out as ECMAScript does.
    /// Where `description` writes plain notation (no exponent: magnitudes from 10⁻⁴ to below 2⁵³)
    /// the two layouts agree but for the `.0` Swift adds to whole numbers, which is dropped.
    public static func write(_ value: Double, into out: UnsafeMutablePointer<UInt8>) -> Int {
        guard value.isFinite else {
            let text = value.isNaN ? "\"NaN\"" : value < 0 ? "\"-Infinity\"" : "\"Infinity\""
            for (index, byte) in text.utf8.enumerated() { out[index] = byte }
            return text.utf8.count
        }
        guard value != 0 else {  // -0 too
            out[0] = UInt8(ascii: "0")
            return 1
        }
        let sign = value < 0 ? 1 : 0
        if value < 0 { out[0] = UInt8(ascii: "-") }
        var stream = DescriptionBytes(storage: UnsafeMutableBufferPointer(start: out + sign, count: maximumTextLength - sign))
        abs(value).write(to: &stream)
        let text = UnsafeBufferPointer(start: out + sign, count: stream.count)
        guard !text.contains(UInt8(ascii: "e")) else {
            let count = sign + writeLayout(ofDescription: text, into: out + sign)
            precondition(count <= maximumTextLength, "\(value) is laid out in more than \(maximumTextLength) bytes")
            return count
        }
        let isWhole = text.count >= 2 && text[text.count - 2] == UInt8(ascii: ".") && text[text.count - 1] == UInt8(ascii: "0")
        return sign + text.count - (isWhole ? 2 : 0)
    }

    /// A `TextOutputStream` into a fixed buffer, for one number's description (at most 24 bytes:
    /// `2.2250738585072014e-308`).
    private struct DescriptionBytes: TextOutputStream {
        let storage: UnsafeMutableBufferPointer<UInt8>
        var count = 0

        mutating func write(_ string: String) {
            var string = string
            string.withUTF8 { _writeASCII($0) }
        }

        mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
            guard let bytes = buffer.baseAddress, !buffer.isEmpty else { return }
            precondition(count + buffer.count <= storage.count, "a number's description is longer than \(storage.count) bytes")
            (storage.baseAddress! + count).initialize(from: bytes, count: buffer.count)
            count += buffer.count
        }
    }

    /// Writes the ECMAScript layout of the number whose Swift `description` is `text` (positive
    /// and finite, in any of its forms: `123.25`, `0.0001`, `1.5e-07` or `1e+16`) at `out`, and
    /// returns how many bytes it wrote. `out` may be where `text` is: the digits are taken out
    /// before anything is written.
    private static func writeLayout(ofDescription text: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        // The significant digits (a double has at most 17) and n such that the value is
        // 0.digits × 10ⁿ.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digits in
            var count = 0
            var pointPosition = 0
            var seenPoint = false
            var index = 0
            while index < text.count, text[index] != UInt8(ascii: "e") {
                let byte = text[index]
                index += 1
                if byte == UInt8(ascii: ".") {
                    seenPoint = true
                } else if byte == UInt8(ascii: "0") && count == 0 {
                    if seenPoint { pointPosition -= 1 }  // a leading zero: 0.00ddd
                } else {
                    digits[count] = byte
                    count += 1
                    if !seenPoint { pointPosition += 1 }
                }
            }
            if index < text.count {  // e±x
                index += 1
                let negative = text[index] == UInt8(ascii: "-")
                if negative || text[index] == UInt8(ascii: "+") { index += 1 }
                var exponent = 0
                while index < text.count {
                    exponent = exponent * 10 + Int(text[index] &- UInt8(ascii: "0"))
                    index += 1
                }
                pointPosition += negative ? -exponent : exponent
            }
            while count > 1 && digits[count - 1] == UInt8(ascii: "0") { count -= 1 }
            return writeLayout(digits: UnsafeBufferPointer(rebasing: digits[..<count]), pointPosition: pointPosition, into: out)
        }
    }

    /// Writes the ECMAScript Number::toString layout for digits `s` (k of them) and point
    /// position n at `out`, and returns how many bytes it wrote (at most 24: `0.00000` and 17
    /// digits).
    private static func writeLayout(digits s: UnsafeBufferPointer<UInt8>, pointPosition n: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
        let k = s.count
        let zero = UInt8(ascii: "0")
        var end = out
        func put(_ byte: UInt8) {
            end.initialize(to: byte)
            end += 1
        }
        func put(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) {
            end.initialize(from: bytes.base.baseAddress! + bytes.startIndex, count: bytes.count)
            end += bytes.count
        }
        func putZeros(_ count: Int) {
            end.initialize(repeating: zero, count: count)
            end += count
        }
        if k <= n && n <= 21 {
            put(s[...])
            putZeros(n - k)
        } else if 0 < n && n <= 21 {
            put(s[..<n])
            put(UInt8(ascii: "."))
            put(s[n...])
        } else if -6 < n && n <= 0 {
            put(zero)
            put(UInt8(ascii: "."))
            putZeros(-n)
            put(s[...])
        } else {
            put(s[0])
            if k > 1 {
                put(UInt8(ascii: "."))
                put(s[1...])
            }
            let exponent = n - 1
            put(UInt8(ascii: "e"))
            put(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            end += writeInteger(abs(exponent), into: end)
        }
        return end - out
    }
}

extension CanonicalNumber {
    /// `value` rounded half away from zero to `decimals` places, in `Double` arithmetic:
    /// `±round(|value| × 10^decimals) / 10^decimals`. Non-finite values stay as they are.
    public static func rounded(_ value: Double, toDecimals decimals: Int) -> Double {
        guard value.isFinite else { return value }
        let scale = powersOfTen[decimals]
        let rounded = (abs(value) * scale).rounded(.toNearestOrAwayFromZero) / scale
        return value < 0 ? -rounded : rounded
    }

    /// Appends exactly `text(rounded(value, toDecimals: decimals))`, quickly: the batch job's
    /// form for probabilities and scores (`0.5`, `0.000001`, `1`, never `0.500000`).
    ///
    /// Why the fast path is exact: for `|value| × 10^decimals` below 10¹⁵ the rounded value is
    /// the `Double` nearest to a decimal of at most 15 significant digits, and any such decimal
    /// is the shortest text that reads back as that `Double`; with at most 6 decimals, ECMAScript
    /// writes it in plain notation. Anything else goes through ``text(_:)``.
    ///
    /// - Precondition: `decimals` is in `0...6`.
    public static func appendRounded(_ value: Double, toDecimals decimals: Int, to out: inout [UInt8]) {
        // One case per count, so each divides by a constant (a multiplication, not a division).
        switch decimals {
        case 6: appendRounded(value, scale: 1_000_000, decimals: 6, to: &out)
        case 5: appendRounded(value, scale: 100_000, decimals: 5, to: &out)
        case 4: appendRounded(value, scale: 10_000, decimals: 4, to: &out)
        case 3: appendRounded(value, scale: 1_000, decimals: 3, to: &out)
        case 2: appendRounded(value, scale: 100, decimals: 2, to: &out)
        case 1: appendRounded(value, scale: 10, decimals: 1, to: &out)
        case 0: appendRounded(value, scale: 1, decimals: 0, to: &out)
        default: preconditionFailure("plain notation needs at most 6 decimals, not \(decimals)")
        }
    }

    @inline(__always)
    private static func appendRounded(_ value: Double, scale: UInt64, decimals: Int, to out: inout [UInt8]) {
        let scaled = (abs(value) * Double(scale)).rounded(.toNearestOrAwayFromZero)
        guard scaled < 1e15 else {  // also false for NaN and infinities
            out.append(contentsOf: text(rounded(value, toDecimals: decimals)).utf8)
            return
        }
        let units = UInt64(scaled)
        guard units > 0 else { out.append(UInt8(ascii: "0")); return }  // -0 is written 0
        if value < 0 { out.append(UInt8(ascii: "-")) }
        appendInteger(Int(units / scale), to: &out)
        var fraction = units % scale
        guard fraction > 0 else { return }
        var width = decimals
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        // The fraction's digits (leading zeros included) as ASCII bytes packed into one word,
        // the first digit in the lowest byte, appended at once.
        var packed: UInt64 = 0
        for _ in 0..<width {
            packed = packed << 8 | UInt64(UInt8(ascii: "0") + UInt8(fraction % 10))
            fraction /= 10
        }
        out.append(UInt8(ascii: "."))
        withUnsafeBytes(of: packed.littleEndian) { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[..<width])) }
    }

    private static let powersOfTen: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]
}

/// What SQS accepts in a message body and in a string or number attribute value.
enum SQSMessageText {
    /// The first Unicode scalar outside the XML characters SQS allows (`#x9 | #xA | #xD |
    /// #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF`), nil if there is none.
    static func firstInvalidScalar(in text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first { scalar in
            switch scalar.value {
            case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: false
            default: true
            }
        }
    }

    /// `'#x0'`: a scalar as the errors name it.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        "'#x" + String(scalar.value, radix: 16, uppercase: true) + "'"
    }

    /// Whether `text` is a number SQS takes for a `Number` attribute: an optional sign, digits with
    /// an optional decimal point, an optional exponent, and at most 38 significant digits.
    static func isNumber(_ text: String) -> Bool {
        var scalars = Substring(text).unicodeScalars[...]
        if let sign = scalars.first, sign == "+" || sign == "-" { scalars = scalars.dropFirst() }
        let mantissa = scalars.prefix { $0 != "e" && $0 != "E" }
        let exponent = scalars.dropFirst(mantissa.count)
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let digits = parts.joined()
        guard !digits.isEmpty, parts.count <= 2, digits.allSatisfy({ ("0"..."9").contains($0) }) else { return false }
        if !exponent.isEmpty {
            var power = exponent.dropFirst()
            if let sign = power.first, sign == "+" || sign == "-" { power = power.dropFirst() }
            guard !power.isEmpty, power.count <= 4, power.allSatisfy({ ("0"..."9").contains($0) }) else { return false }
        }
        let significant = digits.drop { $0 == "0" }.reversed().drop { $0 == "0" }
        return significant.count <= 38
    }
}

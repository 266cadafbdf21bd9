import Foundation

/// Replaces every match of a regular expression in a text capture with a placeholder (insta's
/// filters).
///
/// A plain name gives numbered placeholders such as `<request:1>`, numbered as `Redaction`
/// numbers JSON values: equal matches get equal placeholders, in order of first appearance, so
/// links between them survive. A name written in angle brackets, `<duration>`, is used as it
/// is for every match: for values such as timings, where two equal readings are a coincidence
/// that numbering would turn into a different golden.
public struct TextRedaction: Sendable, Equatable {
    /// The regular expression (ICU syntax, as `NSRegularExpression` reads it).
    public let pattern: String
    /// The placeholder name.
    public let name: String
    /// Whether matches are numbered (`<name:N>`) or all replaced by `<name>`.
    public let numbered: Bool

    /// Creates a text redaction; `placeholder` is a name (numbered) or `<name>` (fixed).
    /// - Throws: ``HarnessError/invalidPattern(_:reason:)`` when the pattern does not compile or
    ///   matches the empty string; ``HarnessError/invalidName(_:_:reason:)`` for an empty name
    ///   or one containing `<`, `>` or `:` (besides the brackets of a fixed placeholder).
    public init(_ pattern: String, as placeholder: String) throws(HarnessError) {
        let expression: NSRegularExpression
        do { expression = try NSRegularExpression(pattern: pattern) } catch {
            throw .invalidPattern(pattern, reason: "it does not compile")
        }
        if expression.firstMatch(in: "", range: NSRange(location: 0, length: 0)) != nil {
            throw .invalidPattern(pattern, reason: "it matches the empty string, so it would redact between every character")
        }
        numbered = !(placeholder.hasPrefix("<") && placeholder.hasSuffix(">") && placeholder.count > 2)
        let name = numbered ? placeholder : String(placeholder.dropFirst().dropLast())
        if name.isEmpty || name.contains(where: { "<>:".contains($0) }) {
            throw .invalidName("placeholder", placeholder, reason: "it must be a name without '<', '>' or ':', or such a name in angle brackets")
        }
        self.pattern = pattern
        self.name = name
    }

    /// `text` with every redaction applied in turn; numbered placeholders are numbered per name.
    public static func apply(_ redactions: [TextRedaction], to text: String) -> String {
        var result = text
        var numbering: [String: [String: Int]] = [:]
        for redaction in redactions {
            // The pattern compiled in `init`, so it compiles here too.
            let expression = try! NSRegularExpression(pattern: redaction.pattern)
            let source = result as NSString
            var pieces: [String] = []
            var last = 0
            for match in expression.matches(in: result, range: NSRange(location: 0, length: source.length)) where match.range.length > 0 {
                pieces.append(source.substring(with: NSRange(location: last, length: match.range.location - last)))
                if redaction.numbered {
                    let found = source.substring(with: match.range)
                    var numbers = numbering[redaction.name, default: [:]]
                    let number = numbers[found] ?? (numbers.count + 1)
                    numbers[found] = number
                    numbering[redaction.name] = numbers
                    pieces.append("<\(redaction.name):\(number)>")
                } else {
                    pieces.append("<\(redaction.name)>")
                }
                last = match.range.location + match.range.length
            }
            pieces.append(source.substring(from: last))
            result = pieces.joined()
        }
        return result
    }
}

/// One lexical piece of a rule's value, with the 1-based character position where it starts.
struct RuleLexeme: Equatable {
    enum Kind: Equatable {
        case openParenthesis
        case closeParenthesis
        case or
        /// A `-` directly before a keyword, phrase or group.
        case minus
        /// A quoted phrase's text, without the quotes.
        case phrase(String)
        /// `lang:` and the code after it (possibly empty).
        case language(String)
        /// A word that is not an operator.
        case keyword(String)
    }

    let kind: Kind
    let position: Int
}

/// Splits a rule's value into lexemes: whitespace separates words; `(`, `)` and `"…"` stand
/// alone; a word starting with `-` is a negation; `OR` (upper case) is the operator; a word
/// `name:…` is an operator, of which only `lang:` is supported.
struct RuleLexer {
    private let characters: [Character]
    private var index = 0

    init(_ value: String) {
        characters = Array(value)
    }

    /// Every lexeme of the value, in order.
    static func lexemes(of value: String) throws(RuleSyntaxError) -> [RuleLexeme] {
        var lexer = RuleLexer(value)
        var lexemes: [RuleLexeme] = []
        while let lexeme = try lexer.next() { lexemes.append(lexeme) }
        return lexemes
    }

    private mutating func next() throws(RuleSyntaxError) -> RuleLexeme? {
        while index < characters.count, characters[index].isWhitespace { index += 1 }
        guard index < characters.count else { return nil }
        let position = index + 1
        switch characters[index] {
        case "(":
            index += 1
            return RuleLexeme(kind: .openParenthesis, position: position)
        case ")":
            index += 1
            return RuleLexeme(kind: .closeParenthesis, position: position)
        case "\"":
            return RuleLexeme(kind: .phrase(try phrase()), position: position)
        case "-":
            index += 1
            guard index < characters.count, !characters[index].isWhitespace, characters[index] != ")", characters[index] != "-" else {
                throw RuleSyntaxError(position: position, "negation at position \(position) negates nothing; expected a keyword, a \"phrase\" or a (group) right after the -")
            }
            return RuleLexeme(kind: .minus, position: position)
        default:
            let word = self.word()
            if word == "OR" { return RuleLexeme(kind: .or, position: position) }
            if let colon = word.firstIndex(of: ":"), colon != word.startIndex,
               word[..<colon].allSatisfy({ $0.isLetter || $0 == "_" }) {
                let name = word[..<colon]
                guard name == "lang" else {
                    throw RuleSyntaxError(position: position, "unknown operator \(name): at position \(position); this stream supports keywords, \"exact phrases\", OR, (groups), -negation and lang:")
                }
                return RuleLexeme(kind: .language(String(word[word.index(after: colon)...])), position: position)
            }
            return RuleLexeme(kind: .keyword(word), position: position)
        }
    }

    /// The text of a quoted phrase; `index` is at its opening quote.
    private mutating func phrase() throws(RuleSyntaxError) -> String {
        let start = index
        index += 1
        var text = ""
        while index < characters.count, characters[index] != "\"" {
            text.append(characters[index])
            index += 1
        }
        guard index < characters.count else {
            throw RuleSyntaxError(position: start + 1, "unterminated phrase at position \(start + 1); expected a closing \"")
        }
        index += 1
        return text
    }

    /// A run of characters up to whitespace, a parenthesis or a quote.
    private mutating func word() -> String {
        var text = ""
        while index < characters.count, !characters[index].isWhitespace, !"()\"".contains(characters[index]) {
            text.append(characters[index])
            index += 1
        }
        return text
    }
}

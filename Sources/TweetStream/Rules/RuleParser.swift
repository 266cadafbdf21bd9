/// Parses a rule's value into a ``RuleExpression``.
///
/// The supported subset of the v2 filtered-stream operator language:
///
/// - **keyword** `happy`: a whole token of the tweet, case-insensitive. Tokens split the text on
///   everything that is not a letter or a digit; `#tag` and `@user` keep their sigil (see
///   ``TextTokens``). A keyword with punctuation inside (`don't`) matches its tokens in a row.
/// - **"exact phrase"** `"happy birthday"`: its tokens in a row, case-insensitive.
/// - **AND** by juxtaposition: `happy birthday` needs both.
/// - **`OR`** (upper case): either side; AND binds tighter, so `a b OR c` is `(a b) OR c`.
/// - **(groups)**: `(a OR b) c`.
/// - **-negation** of a keyword, phrase or group: `happy -sad`, `cat -(dog OR bird)`.
/// - **`lang:xx`**: the tweet's language (every replayed tweet is `en`).
///
/// A rule is at most 512 characters, and must have a keyword or phrase that is not negated on
/// every path (`-sad` alone, `lang:en` alone, `a OR -b` are refused). Any other `name:` operator
/// is refused as unknown.
public enum RuleParser {
    /// The longest rule value accepted, in characters (as v2's standard access).
    public static let maximumLength = 512

    /// The expression `value` stands for.
    /// - Throws: ``RuleSyntaxError`` naming the position and what was expected.
    public static func parse(_ value: String) throws(RuleSyntaxError) -> RuleExpression {
        let length = value.count
        guard length <= maximumLength else {
            throw RuleSyntaxError(position: 0, "the rule is \(length) characters long; at most \(maximumLength) are allowed")
        }
        let lexemes = try RuleLexer.lexemes(of: value)
        guard !lexemes.isEmpty else {
            throw RuleSyntaxError(position: 0, "the rule is empty; expected a keyword, a \"phrase\" or a (group)")
        }
        var parser = Parser(lexemes: lexemes)
        let expression = try parser.disjunction()
        if let extra = parser.peek {
            // Only a ) can stop a disjunction early.
            throw RuleSyntaxError(position: extra.position, "unbalanced parenthesis at position \(extra.position): this ) closes no (")
        }
        guard expression.requiresPositiveTerm else {
            throw RuleSyntaxError(position: 0, "the rule matches without any keyword or phrase (it has only negated terms or lang:); expected at least one keyword or \"phrase\" that is not negated")
        }
        return expression
    }

    /// Recursive descent over the lexemes: disjunction := conjunction (OR conjunction)*;
    /// conjunction := unary+; unary := -primary | primary; primary := keyword | phrase | lang | (disjunction).
    private struct Parser {
        let lexemes: [RuleLexeme]
        var index = 0

        var peek: RuleLexeme? { index < lexemes.count ? lexemes[index] : nil }

        mutating func disjunction() throws(RuleSyntaxError) -> RuleExpression {
            var parts = [try conjunction(after: nil)]
            while let lexeme = peek, lexeme.kind == .or {
                index += 1
                parts.append(try conjunction(after: lexeme))
            }
            return parts.count == 1 ? parts[0] : .any(parts)
        }

        /// One or more unary terms; `or` is the `OR` before them, if any (for the error).
        mutating func conjunction(after or: RuleLexeme?) throws(RuleSyntaxError) -> RuleExpression {
            var parts: [RuleExpression] = []
            while let lexeme = peek, lexeme.kind != .or, lexeme.kind != .closeParenthesis {
                parts.append(try unary())
            }
            guard !parts.isEmpty else {
                let expected = "expected a keyword, a \"phrase\" or a (group)"
                if let or {
                    throw RuleSyntaxError(position: or.position, "OR at position \(or.position) has nothing on its right; \(expected) after it")
                }
                guard let lexeme = peek else {
                    throw RuleSyntaxError(position: 0, "the rule is empty; \(expected)")
                }
                if lexeme.kind == .or {
                    throw RuleSyntaxError(position: lexeme.position, "OR at position \(lexeme.position) has nothing on its left; \(expected) before it")
                }
                throw RuleSyntaxError(position: lexeme.position, "empty group before position \(lexeme.position); \(expected) inside the parentheses")
            }
            return parts.count == 1 ? parts[0] : .all(parts)
        }

        mutating func unary() throws(RuleSyntaxError) -> RuleExpression {
            guard let lexeme = peek, lexeme.kind == .minus else { return try primary() }
            index += 1
            guard let next = peek, next.kind != .or, next.kind != .closeParenthesis, next.kind != .minus else {
                throw RuleSyntaxError(position: lexeme.position, "negation at position \(lexeme.position) negates nothing; expected a keyword, a \"phrase\" or a (group) right after the -")
            }
            return .not(try primary())
        }

        mutating func primary() throws(RuleSyntaxError) -> RuleExpression {
            let lexeme = peek!
            index += 1
            switch lexeme.kind {
            case .keyword(let word):
                let tokens = TextTokens.of(word)
                guard !tokens.isEmpty else {
                    throw RuleSyntaxError(position: lexeme.position, "keyword \(word) at position \(lexeme.position) has no letter or digit to match; expected a word, a #hashtag or an @mention")
                }
                return .keyword(tokens)
            case .phrase(let text):
                let tokens = TextTokens.of(text)
                guard !tokens.isEmpty else {
                    throw RuleSyntaxError(position: lexeme.position, "empty phrase at position \(lexeme.position); expected words between the quotes")
                }
                return .phrase(tokens)
            case .language(let code):
                guard (2...3).contains(code.count), code.allSatisfy({ $0.isASCII && $0.isLetter && $0.isLowercase }) else {
                    throw RuleSyntaxError(position: lexeme.position, "lang: at position \(lexeme.position) expects a lower-case language code such as en, not \"\(code)\"")
                }
                return .language(code)
            case .openParenthesis:
                let inner = try disjunction()
                guard let close = peek, close.kind == .closeParenthesis else {
                    throw RuleSyntaxError(position: lexeme.position, "unbalanced parenthesis at position \(lexeme.position): this ( is never closed; expected a ) after it")
                }
                index += 1
                return inner
            case .minus, .or, .closeParenthesis:
                // `conjunction` and `unary` stop before these; they never start a primary.
                preconditionFailure("RuleParser: \(lexeme.kind) cannot start a term")
            }
        }
    }
}

/// A parsed rule: the tree a tweet's tokens are matched against.
public indirect enum RuleExpression: Sendable, Equatable {
    /// A keyword: its tokens (usually one) appear as consecutive tokens of the tweet.
    case keyword([String])
    /// An "exact phrase": its tokens appear as consecutive tokens of the tweet.
    case phrase([String])
    /// `lang:xx`: the tweet's language is `xx`.
    case language(String)
    /// Every part matches (juxtaposition).
    case all([RuleExpression])
    /// At least one part matches (`OR`).
    case any([RuleExpression])
    /// The part does not match (`-`).
    case not(RuleExpression)

    /// Whether a tweet with `tokens` (from ``TextTokens/of(_:)``) and language `lang` matches.
    public func matches(tokens: [String], lang: String) -> Bool {
        switch self {
        case .keyword(let sequence), .phrase(let sequence): return Self.contains(tokens, sequence)
        case .language(let code): return lang == code
        case .all(let parts): return parts.allSatisfy { $0.matches(tokens: tokens, lang: lang) }
        case .any(let parts): return parts.contains { $0.matches(tokens: tokens, lang: lang) }
        case .not(let part): return !part.matches(tokens: tokens, lang: lang)
        }
    }

    /// Whether every way of matching needs a keyword or phrase that is not negated: `-a`,
    /// `lang:en` and `a OR -b` have none on some path, so they would match almost every tweet.
    var requiresPositiveTerm: Bool {
        switch self {
        case .keyword, .phrase: return true
        case .language, .not: return false
        case .all(let parts): return parts.contains { $0.requiresPositiveTerm }
        case .any(let parts): return parts.allSatisfy { $0.requiresPositiveTerm }
        }
    }

    private static func contains(_ tokens: [String], _ sequence: [String]) -> Bool {
        guard !sequence.isEmpty, tokens.count >= sequence.count else { return false }
        if sequence.count == 1 { return tokens.contains(sequence[0]) }
        for start in 0...(tokens.count - sequence.count) where tokens[start] == sequence[0] {
            if tokens[start..<(start + sequence.count)].elementsEqual(sequence) { return true }
        }
        return false
    }
}

import Determinism
import Testing
import TweetStream

@Suite("Rule language")
struct RuleParserTests {
    /// (rule, text, whether it matches)
    static let table: [(String, String, Bool)] = [
        ("happy", "So HAPPY today!", true),
        ("happy", "unhappy with it", false),
        ("happy", "happy-go-lucky", true),
        ("#swift", "I love #Swift.", true),
        ("swift", "I love #Swift.", false),
        ("#swift", "swift is fast", false),
        ("@jane", "thanks @Jane!", true),
        ("jane", "thanks @Jane!", false),
        ("don't", "I don't know", true),
        ("\"happy birthday\"", "Happy  birthday, Sam", true),
        ("\"happy birthday\"", "birthday happy", false),
        ("\"happy birthday\"", "happy new birthday", false),
        ("happy birthday", "birthday was happy", true),
        ("happy birthday", "happy day", false),
        ("cat OR dog", "a dog barks", true),
        ("cat OR dog", "a bird sings", false),
        ("cat dog OR bird", "bird", true),
        ("cat dog OR bird", "cat", false),
        ("cat (dog OR bird)", "cat and bird", true),
        ("cat (dog OR bird)", "dog and bird", false),
        ("happy -sad", "happy and sad", false),
        ("happy -sad", "happy at last", true),
        ("happy -\"not really\"", "happy, not really", false),
        ("happy -\"not really\"", "really happy, not", true),
        ("cat -(dog OR bird)", "cat and bird", false),
        ("cat -(dog OR bird)", "cat alone", true),
        ("happy lang:en", "happy", true),
        ("happy lang:fr", "happy", false),
        ("happy -lang:fr", "happy", true),
        ("cat or dog", "cat", false),
        ("cat or dog", "cat or dog", true),
        ("((cat))", "Cat!", true),
        ("émigré", "l'Émigré revient", true),
        ("café", "cafe\u{301} time", true),  // decomposed text: the accent is a scalar of its own
        ("cafe\u{301}", "un café", true),
        ("cafe", "cafe\u{301}", false),
        ("100", "100% sure", true),
    ]

    @Test("keywords, phrases, OR, groups, negation and lang: match as documented", arguments: table)
    func matching(rule: String, text: String, expected: Bool) throws {
        let expression = try RuleParser.parse(rule)
        #expect(expression.matches(tokens: TextTokens.of(text), lang: "en") == expected, "\(rule) on \(text)")
    }

    @Test("AND binds tighter than OR, and a group is one term")
    func precedence() throws {
        #expect(try RuleParser.parse("a b OR c") == .any([.all([.keyword(["a"]), .keyword(["b"])]), .keyword(["c"])]))
        #expect(try RuleParser.parse("a (b OR c)") == .all([.keyword(["a"]), .any([.keyword(["b"]), .keyword(["c"])])]))
        #expect(try RuleParser.parse("-(a OR b) c") == .all([.not(.any([.keyword(["a"]), .keyword(["b"])])), .keyword(["c"])]))
    }

    @Test("tweet text is split on non-alphanumerics, keeping # and @ on their tokens")
    func tokens() {
        #expect(TextTokens.of("I love #Swift, don't you? @Bob_2 a#b") == ["i", "love", "#swift", "don", "t", "you", "@bob", "2", "a", "b"])
        #expect(TextTokens.of("## # @") == [])
    }

    @Test("ASCII texts, read byte by byte, give the tokens the scalar reading gives")
    func asciiTokensAgree() {
        var random = SplitMix64(seed: 0x70CE_2026)
        let alphabet = Array("aZz09#@ _-'!\t\n\u{0}\u{7F}AMq#@@##".unicodeScalars)
        for _ in 0..<5_000 {
            let text = String(String.UnicodeScalarView((0..<random.nextIndex(below: 24)).map { _ in alphabet[random.nextIndex(below: alphabet.count)] }))
            #expect(TextTokens.of(text) == TextTokens.scalarTokens(of: text), "\(text.debugDescription)")
        }
        for text in ["Ünïcödé #Straße @Jörg", "mixed ascii and é", "ＦＵＬＬ width"] {
            #expect(TextTokens.of(text) == TextTokens.scalarTokens(of: text))
        }
    }

    /// (rule, position, words the message must contain)
    static let badRules: [(String, Int, [String])] = [
        ("", 0, ["empty"]),
        ("   ", 0, ["empty"]),
        ("(cat", 1, ["unbalanced parenthesis", "position 1", "expected a )"]),
        ("cat)", 4, ["unbalanced parenthesis", "position 4", "closes no ("]),
        ("(cat OR dog", 1, ["never closed"]),
        ("()", 2, ["empty group"]),
        ("-sad", 0, ["only negated", "expected at least one keyword"]),
        ("-sad -(bad)", 0, ["only negated"]),
        ("happy OR -sad", 0, ["only negated"]),
        ("lang:en", 0, ["lang:"]),
        ("cat OR", 5, ["OR at position 5", "nothing on its right"]),
        ("OR cat", 1, ["nothing on its left"]),
        ("cat OR OR dog", 5, ["nothing on its right"]),
        ("cat - dog", 5, ["negation at position 5 negates nothing"]),
        ("cat -", 5, ["negates nothing"]),
        ("cat --dog", 5, ["negates nothing"]),
        ("cat -OR dog", 5, ["negates nothing"]),
        ("cat \"happy", 5, ["unterminated phrase", "position 5", "closing \""]),
        ("cat \"  \"", 5, ["empty phrase"]),
        ("cat foo:bar", 5, ["unknown operator foo:", "position 5", "supports keywords"]),
        ("has:media cat", 1, ["unknown operator has:"]),
        ("cat lang:english", 5, ["lang:", "language code"]),
        ("cat !!!", 5, ["no letter or digit"]),
        (String(repeating: "a", count: 513), 0, ["513 characters", "at most 512"]),
    ]

    @Test("a bad rule names the position and what was expected", arguments: badRules)
    func refused(rule: String, position: Int, words: [String]) {
        do {
            _ = try RuleParser.parse(rule)
            Issue.record("\(rule) parsed")
        } catch {
            #expect(error.position == position, "\(rule): \(error)")
            for word in words { #expect(error.message.contains(word), "\(rule): \(error)") }
        }
    }

    @Test("512 characters is the longest rule accepted")
    func longest() throws {
        _ = try RuleParser.parse(String(repeating: "a", count: 512))
    }
}

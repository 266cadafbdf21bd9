import ModelCore
import Testing

@Suite("Tweet tokenizer rules")
struct TweetTokenizerTests {
    let tokenizer = TweetTokenizer()

    @Test("lower-cases ASCII letters and splits on white space and punctuation")
    func lowercaseAndSplit() {
        #expect(tokenizer.tokens("Hello, WORLD  of\tTweets") == ["hello", "world", "of", "tweets"])
    }

    @Test("URLs become <url>, whatever their case")
    func urls() {
        #expect(tokenizer.tokens("see http://t.co/abc and HTTPS://x.y/z?q=1 or www.apple.com now")
            == ["see", "<url>", "and", "<url>", "or", "<url>", "now"])
    }

    @Test("mentions become <user>; a lone @ is dropped")
    func mentions() {
        #expect(tokenizer.tokens("@Apple_Support thanks @ you") == ["<user>", "thanks", "you"])
    }

    @Test("hashtags keep their # and are lower-cased")
    func hashtags() {
        #expect(tokenizer.tokens("#SXSW is #sooooo fun #") == ["#sxsw", "is", "#soo", "fun"])
    }

    @Test("emoticons are tokens, with variants sharing a spelling")
    func emoticons() {
        #expect(tokenizer.tokens("great :-) bad :( love <3 lol :D :p") == ["great", ":)", "bad", ":(", "love", "<3", "lol", ":D", ":P"])
        #expect(tokenizer.tokens("xDrive rocks") == ["xdrive", "rocks"])
        #expect(tokenizer.tokens("ok:)") == ["ok", ":)"])
    }

    @Test("words that merely start like a URL or an emoticon are words; an emoticon may close the text")
    func lookAlikes() {
        #expect(tokenizer.tokens("the What with WWE httpd Http://x.io wwwhat www.") == ["the", "what", "with", "wwe", "httpd", "<url>", "wwhat", "<url>"])
        #expect(tokenizer.tokens("xD XD xdrive (: : ) ;p h w :") == ["xD", "xD", "xdrive", ":)", ":P", "h", "w"])
        #expect(tokenizer.tokens("sad :(") == ["sad", ":("])
    }

    @Test("elongations are squashed across case; digits, _ and inner apostrophes stay in the word")
    func elongationsInWords() {
        #expect(tokenizer.tokens("SooOOo aaa'aaa ok___k 1111x") == ["soo", "aa'aa", "ok___k", "1111x"])
    }

    @Test("numbers become <num>; digits running into letters are a word")
    func numbers() {
        #expect(tokenizer.tokens("3.5 stars, 1,000 fans at 10:30 4ever 10am") == ["<num>", "stars", "<num>", "fans", "at", "<num>", "4ever", "10am"])
    }

    @Test("elongations are squashed to two letters")
    func elongations() {
        #expect(tokenizer.tokens("Soooo goooood yesss") == ["soo", "good", "yess"])
    }

    @Test("emoji are tokens of their own; modifiers are dropped")
    func emoji() {
        #expect(tokenizer.tokens("love it😍😍 👍🏽!") == ["love", "it", "😍", "😍", "👍", "!"])
    }

    @Test("! and ? are tokens, one per run")
    func exclamations() {
        #expect(tokenizer.tokens("what?!?? yes!!!") == ["what", "?", "!", "?", "yes", "!"])
    }

    @Test("negation marks words until punctuation")
    func negation() {
        #expect(tokenizer.tokens("I don't like it, but not bad. never again")
            == ["i", "don't", "like_neg", "it_neg", "but", "not", "bad_neg", "never", "again_neg"])
        #expect(tokenizer.tokens("dont go #sad :(") == ["dont", "go_neg", "#sad", ":("])
        #expect(TweetTokenizer(marksNegation: false).tokens("not good") == ["not", "good"])
    }

    @Test("typographic apostrophes read as ' inside words; other curly quotes separate")
    func apostrophes() {
        #expect(tokenizer.tokens("can’t “wait”") == ["can't", "wait_neg"])
    }

    @Test("invalid UTF-8 and U+FFFD separate words; other scripts are kept")
    func invalidBytesAndScripts() {
        #expect(tokenizer.tokens("cars_\u{FFFD}_.no") == ["cars_", "_", "no"])
        #expect(tokenizer.tokens("café naïve Привет") == ["café", "naïve", "Привет"])
        let invalid: [UInt8] = Array("bad".utf8) + [0xFF, 0xC3] + Array(" ok".utf8)
        var buffer = TokenBuffer()
        invalid.withUnsafeBufferPointer { tokenizer.tokenize(utf8: $0, into: &buffer) }
        #expect(buffer.tokens == ["bad", "ok"])
    }

    @Test("empty and blank texts have no tokens")
    func empty() {
        #expect(tokenizer.tokens("").isEmpty)
        #expect(tokenizer.tokens("  \t\n ").isEmpty)
    }

    @Test("numbers with separators that run into letters are a number, then a word")
    func numbersIntoLetters() {
        #expect(tokenizer.tokens("meet at 7:30pm, 2.0GHz") == ["meet", "at", "<num>", "30pm", "<num>", "0ghz"])
    }

    @Test("a URL ends at non-ASCII white space and separators too")
    func urlEnds() {
        #expect(tokenizer.tokens("see http://t.co/x\u{00A0}great") == ["see", "<url>", "great"])
        #expect(tokenizer.tokens("http://t.co/x…wow") == ["<url>", "wow"])
    }

    @Test("hashtags may hold letters of any script")
    func nonASCIIHashtags() {
        #expect(tokenizer.tokens("#Café #日本 #") == ["#café", "#日本"])
    }

    @Test("every negation word opens a scope, and words that merely look like one do not")
    func everyNegationWord() {
        // Written out here rather than read from `Negation`, so a word the look-up's quick
        // first- and last-letter tests wrongly reject makes this fail.
        let words = [
            "not", "no", "never", "cannot", "nor", "nothing", "nobody", "nowhere", "neither",
            "dont", "cant", "wont", "didnt", "doesnt", "isnt", "wasnt", "arent", "werent",
            "couldnt", "shouldnt", "wouldnt", "aint", "havent", "hasnt", "hadnt", "shouldn't",
        ]
        for word in words {
            #expect(tokenizer.tokens("\(word) good") == [word, "good_neg"], "\(word)")
        }
        for word in ["note", "now", "nod", "can", "does", "is", "the", "to", "so", "anyway", "shouldn"] {
            #expect(tokenizer.tokens("\(word) good") == [word, "good"], "\(word)")
        }
    }

    @Test("an ellipsis, a dash or an emoticon ends a negation scope")
    func negationEnds() {
        #expect(tokenizer.tokens("not good… but ok") == ["not", "good_neg", "but", "ok"])
        #expect(tokenizer.tokens("not good — but ok") == ["not", "good_neg", "but", "ok"])
        #expect(tokenizer.tokens("not happy :( at all") == ["not", "happy_neg", ":(", "at", "all"])
    }

    @Test("‼ is an emoji; a byte-order mark separates; malformed UTF-8 reads as U+FFFD")
    func oddCodePoints() {
        #expect(tokenizer.tokens("wow‼") == ["wow", "‼"])
        #expect(tokenizer.tokens("\u{FEFF}hello") == ["hello"])
        let surrogate: [UInt8] = [0x61, 0xED, 0xA0, 0x80, 0x62]  // "a", an encoded surrogate, "b"
        let overlong: [UInt8] = [0x63, 0xE0, 0x80, 0xAF, 0x64]  // "c", an overlong "/", "d"
        var buffer = TokenBuffer()
        surrogate.withUnsafeBufferPointer { tokenizer.tokenize(utf8: $0, into: &buffer) }
        #expect(buffer.tokens == ["a", "b"])
        overlong.withUnsafeBufferPointer { tokenizer.tokenize(utf8: $0, into: &buffer) }
        #expect(buffer.tokens == ["c", "d"])
    }

    /// The buffer is sized from the text before scanning (five output bytes per input byte at
    /// most) and traps rather than overrun: the texts that expand the most must fit, and a reused
    /// buffer must not show a longer text's leftovers.
    @Test("texts that expand the most still fit, and a reused buffer keeps no leftovers")
    func expandingTexts() {
        var buffer = TokenBuffer()
        for text in ["1", "no a", "@a", "7:30pm", "^^", "www.", "1 " + String(repeating: "1 ", count: 500),
                     "not" + String(repeating: " a", count: 500), String(repeating: "@a ", count: 300),
                     "no " + String(repeating: "7:3a ", count: 200)] {
            tokenizer.tokenize(text, into: &buffer)
            #expect(buffer.tokens == tokenizer.tokens(text))
            #expect(buffer.bytes.count <= 5 * text.utf8.count)
        }
        #expect(tokenizer.tokens("no a") == ["no", "a_neg"])
        #expect(tokenizer.tokens("1") == ["<num>"])
        tokenizer.tokenize("a long text with many words", into: &buffer)
        tokenizer.tokenize("hi", into: &buffer)
        #expect(buffer.tokens == ["hi"] && buffer.count == 1 && buffer.bytes.count == 2)
    }
}

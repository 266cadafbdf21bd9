import JSON

/// The bytes of the stream, exactly as v2's filtered stream sends them.
///
/// A tweet is one line of JSON followed by CRLF:
/// `{"data":{"author_id":"…","created_at":"…","id":"…","lang":"en","text":"…"},"matching_rules":[{"id":"…","tag":"…"}]}`
/// — keys in that order, strings escaped by ``JSONString``, a rule without a tag written as
/// `{"id":"…"}`. A keep-alive heartbeat is a bare CRLF.
public enum StreamLine {
    /// The keep-alive heartbeat, `\r\n`.
    public static let heartbeat: [UInt8] = [13, 10]

    /// Appends `tweet`'s line, matched by `rules`, with its CRLF.
    public static func append(_ tweet: ScheduledTweet, matching rules: [FilterRule], to out: inout [UInt8]) {
        out.append(contentsOf: #"{"data":{"author_id":"#.utf8)
        JSONString.appendQuoted(tweet.authorID, to: &out)
        out.append(contentsOf: #","created_at":"#.utf8)
        JSONString.appendQuoted(TweetTime.createdAt(tweet.createdAt), to: &out)
        out.append(contentsOf: #","id":"#.utf8)
        JSONString.appendQuoted(tweet.id, to: &out)
        out.append(contentsOf: #","lang":"#.utf8)
        JSONString.appendQuoted(tweet.lang, to: &out)
        out.append(contentsOf: #","text":"#.utf8)
        JSONString.appendQuoted(tweet.text, to: &out)
        out.append(contentsOf: #"},"matching_rules":["#.utf8)
        for (index, rule) in rules.enumerated() {
            out.append(contentsOf: (index == 0 ? #"{"id":"# : #",{"id":"#).utf8)
            JSONString.appendQuoted(rule.id, to: &out)
            if let tag = rule.tag {
                out.append(contentsOf: #","tag":"#.utf8)
                JSONString.appendQuoted(tag, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "]}\r\n".utf8)
    }

    /// `tweet`'s line, matched by `rules`, with its CRLF.
    public static func encode(_ tweet: ScheduledTweet, matching rules: [FilterRule]) -> [UInt8] {
        var out: [UInt8] = []
        append(tweet, matching: rules, to: &out)
        return out
    }
}

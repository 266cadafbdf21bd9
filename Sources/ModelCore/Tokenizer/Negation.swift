/// The words that open a negation scope (rule 10 of `TweetTokenizer`).
enum Negation {
    /// The suffix that marks a word inside a negation scope.
    static let suffix = Array("_neg".utf8)

    /// Negation words that do not end in `n't`, including common spellings without the
    /// apostrophe, each packed into a `UInt64` (see `pack`) so a look-up copies nothing; sorted,
    /// for a binary search.
    static let packedWords: [UInt64] = [
        "not", "no", "never", "cannot", "nor", "nothing", "nobody", "nowhere", "neither",
        "dont", "cant", "wont", "didnt", "doesnt", "isnt", "wasnt", "arent", "werent",
        "couldnt", "shouldnt", "wouldnt", "aint", "havent", "hasnt", "hadnt",
    ].map { word in Array(word.utf8).withUnsafeBufferPointer { pack($0)! } }.sorted()

    /// Whether a (lower-cased) word is a negation.
    static func isNegation(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = word.count
        guard count >= 2 else { return false }
        let last = word[count - 1]
        if count >= 3, last == UInt8(ascii: "t"), word[count - 2] == UInt8(ascii: "'"), word[count - 3] == UInt8(ascii: "n") {
            return true
        }
        // Every listed word ends in one of these letters; most words are rejected here.
        switch last {
        case UInt8(ascii: "t"), UInt8(ascii: "o"), UInt8(ascii: "r"), UInt8(ascii: "g"), UInt8(ascii: "y"), UInt8(ascii: "e"):
            guard let packed = pack(word) else { return false }
            return packedWords.withUnsafeBufferPointer { words in
                var low = 0
                var high = words.count
                while low < high {
                    let middle = (low + high) / 2
                    if words[middle] < packed { low = middle + 1 } else { high = middle }
                }
                return low < words.count && words[low] == packed
            }
        default:
            return false
        }
    }

    /// A word of 1 to 8 bytes as one integer (its bytes, little-endian); nil for other lengths.
    private static func pack(_ word: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard (1...8).contains(word.count) else { return nil }
        var packed: UInt64 = 0
        for index in 0..<word.count { packed |= UInt64(word[index]) << (8 * UInt64(index)) }
        return packed
    }
}

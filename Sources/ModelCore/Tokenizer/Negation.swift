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
    @inline(__always)
    static func isNegation(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = word.count
        guard count >= 2 else { return false }
        let last = word[count - 1]
        if count >= 3, last == UInt8(ascii: "t"), word[count - 2] == UInt8(ascii: "'"), word[count - 3] == UInt8(ascii: "n") {
            return true
        }
        // Every listed word ends in one of these letters and starts with one of the next ones;
        // most words are rejected by these two tests (common words such as `the`, `to`, `you`
        // and `love` pass the first but not the second), before any packing or searching.
        switch last {
        case UInt8(ascii: "t"), UInt8(ascii: "o"), UInt8(ascii: "r"), UInt8(ascii: "g"), UInt8(ascii: "y"), UInt8(ascii: "e"):
            switch word[0] {
            case UInt8(ascii: "n"), UInt8(ascii: "c"), UInt8(ascii: "d"), UInt8(ascii: "w"),
                 UInt8(ascii: "i"), UInt8(ascii: "a"), UInt8(ascii: "h"), UInt8(ascii: "s"):
                break
            default:
                return false
            }
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
    ///
    /// The shift is a masking one (`&<<`): it never exceeds 56 here, and Swift's checked `<<`
    /// would add a test for over-long and negative shifts on every byte of every word.
    private static func pack(_ word: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard word.count >= 1 && word.count <= 8 else { return nil }
        var packed: UInt64 = 0
        var shift: UInt64 = 0
        for byte in word {
            packed |= UInt64(byte) &<< shift
            shift &+= 8
        }
        return packed
    }
}

import Determinism
import ModelCore
import Testing

@Suite("Stable hashing of features")
struct FeatureHashingTests {
    @Test("FNV-1a 64 matches the published test vectors (and one of ours)", arguments: [
        ("", 0xcbf2_9ce4_8422_2325 as UInt64),
        ("a", 0xaf63_dc4c_8601_ec8c),
        ("foobar", 0x8594_4171_f739_67e8),
        ("good", 0x9ce4_d672_0e9c_9118),
    ])
    func fnvVectors(text: String, expected: UInt64) {
        #expect(FNV1a.hash(Array(text.utf8)) == expected)
    }

    @Test("feature indices are pinned: a changed hash would silently break every saved model")
    func pinnedIndices() {
        var tokens = TokenBuffer()
        TweetTokenizer().tokenize("so good", into: &tokens)
        var indices: [Int32] = []
        FeatureHashing(buckets: 1 << 20, maxNGram: 2, charNGram: 4).indices(of: tokens, into: &indices)
        // "so": unigram, then sub-words of "<so>" (one 4-byte run); "good": unigram, bigram
        // "so good", then sub-words "<goo", "good", "ood>".
        #expect(indices.count == 2 + 2 + 3)
        // Values computed independently (Python): the 128-bit product hash × 2²⁰ gives the
        // bucket (high word) and the sign (top bit of the low word); index `~b` means bucket `b`,
        // negated. Word n-grams hash with FNV-1a; sub-words as (1 << 32 | the 4 bytes) ×
        // 0x9E3779B97F4A7C15.
        #expect(indices[1] == -27313)  // "<so>"
        #expect(Array(indices[2...]) == [642_637, -12830, -633_206, -804_394, -728_671])
        #expect(FeatureHashing.bucket(of: -12830) == 12829)
        #expect(FeatureHashing.sign(of: -12830) == -1)
        #expect(FeatureHashing.sign(of: 642_637) == 1)
    }

    @Test("n-gram settings change how many features a text has")
    func ngramCounts() {
        var tokens = TokenBuffer()
        TweetTokenizer().tokenize("a b c d", into: &tokens)
        var indices: [Int32] = []
        FeatureHashing(buckets: 64, maxNGram: 1, charNGram: 0).indices(of: tokens, into: &indices)
        #expect(indices.count == 4)
        FeatureHashing(buckets: 64, maxNGram: 2, charNGram: 0).indices(of: tokens, into: &indices)
        #expect(indices.count == 7)
        FeatureHashing(buckets: 64, maxNGram: 3, charNGram: 0).indices(of: tokens, into: &indices)
        #expect(indices.count == 9)
        #expect(indices.allSatisfy { (0..<64).contains(FeatureHashing.bucket(of: $0)) })
    }

    @Test("every index falls inside the table for odd bucket counts too")
    func oddBucketCounts() {
        var tokens = TokenBuffer()
        TweetTokenizer().tokenize("the quick brown fox jumps over the lazy dog #yay :) 😀", into: &tokens)
        var indices: [Int32] = []
        for buckets in [1, 7, 1000, 999_983] {
            FeatureHashing(buckets: buckets).indices(of: tokens, into: &indices)
            #expect(indices.allSatisfy { (0..<buckets).contains(FeatureHashing.bucket(of: $0)) })
        }
    }
}

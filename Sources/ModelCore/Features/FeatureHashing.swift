import Determinism

/// Maps tokens to feature indices with the hashing trick.
///
/// The features of a text are its n-grams of adjacent tokens, for n from 1 to `maxNGram`. An
/// n-gram `a b c` is hashed with 64-bit FNV-1a over the UTF-8 bytes of the text `"a b c"` (tokens
/// joined by one space, 0x20). A 64-bit hash `h` lands in bucket `⌊h × buckets / 2⁶⁴⌋` (the high
/// word of the 128-bit product: as uniform as `h % buckets`, without a division). Colliding
/// features share a weight, which costs a little accuracy and saves a vocabulary.
///
/// Sub-word features catch spellings the training data never saw (`luvvv`, `#ihateit`): with
/// `charNGram` = n, each token of two or more bytes, framed as `<token>`, adds every run of n
/// bytes of the frame. A run is packed into an integer, first byte most significant, with a 1
/// bit just above it (so runs of different lengths differ), and multiplied by
/// 0x9E3779B97F4A7C15 (Fibonacci hashing): one multiply per sub-word where FNV-1a would take n.
///
/// A well-mixed bit of the hash gives the feature a sign (Weinberger et al., 2009), so
/// colliding features tend to cancel rather than add up. An index carries it: a negative index `i` stands
/// for bucket `~i` with the feature's value negated. Count weighting (naive Bayes) ignores signs.
public struct FeatureHashing: Sendable, Equatable, Codable {
    /// How many feature buckets there are: the width of the weight table.
    public var buckets: Int
    /// The longest n-gram that is a feature: 1 (single tokens), 2 (and pairs) or 3 (and triples).
    public var maxNGram: Int
    /// The length in bytes of the sub-word features of each token; 0 for none.
    public var charNGram: Int

    /// The most buckets a model may have (2²⁶: a 1 GiB weight table with three labels).
    public static let maximumBuckets = 1 << 26

    /// Hashing into `buckets` buckets (1 to `maximumBuckets`), token n-grams up to `maxNGram`
    /// (1 to 3) and byte n-grams of `charNGram` bytes (0 for none, else 2 to 7).
    public init(buckets: Int = 1 << 20, maxNGram: Int = 2, charNGram: Int = 4) {
        self.buckets = buckets
        self.maxNGram = maxNGram
        self.charNGram = charNGram
        precondition(problem == nil, problem?.description ?? "")
    }

    /// What is out of range, or nil.
    public var problem: SettingProblem? {
        if !(1...Self.maximumBuckets).contains(buckets) {
            return SettingProblem(.buckets, "must be from 1 to \(Self.maximumBuckets), got \(buckets)")
        }
        if !(1...3).contains(maxNGram) { return SettingProblem(.maxNGram, "must be 1, 2 or 3, got \(maxNGram)") }
        if !(charNGram == 0 || (2...7).contains(charNGram)) {
            return SettingProblem(.charNGram, "must be 0 or from 2 to 7, got \(charNGram)")
        }
        return nil
    }

    enum CodingKeys: String, CodingKey {
        case buckets, maxNGram = "max_ngram", charNGram = "char_ngram"
    }

    /// Decodes settings and checks their ranges, so a stored model cannot smuggle in bad ones.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        buckets = try container.decode(Int.self, forKey: .buckets)
        maxNGram = try container.decode(Int.self, forKey: .maxNGram)
        charNGram = try container.decode(Int.self, forKey: .charNGram)
        if let problem {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: problem.description))
        }
    }

    /// Replaces `indices` with the signed buckets of the features of `tokens`, in the order of
    /// `forEachFeature(of:_:)`.
    public func indices(of tokens: TokenBuffer, into indices: inout [Int32]) {
        let count = writeIndices(of: tokens, into: &indices)
        indices.removeLast(indices.count - count)
    }

    /// Writes the signed buckets of the features of `tokens` to the start of `storage`, in the
    /// order of `forEachFeature(of:_:)`, and returns how many there are. `storage` only grows (to
    /// the most features the tokens can give), so the hot path neither allocates nor checks
    /// uniqueness per feature; what lies past the returned count is stale.
    ///
    /// With `rows`, the row of `rowBytes` bytes at `rows + bucket × rowBytes` is prefetched for
    /// each feature (see `BufferSink`).
    func writeIndices(
        of tokens: TokenBuffer, into storage: inout [Int32], prefetchingRowsAt rows: UnsafeRawPointer? = nil, rowBytes: Int = 0
    ) -> Int {
        // Per token: the token, its pair and its triple, and at most length + 2 sub-words.
        let bound = tokens.bytes.count + 5 * tokens.count
        if storage.count < bound { storage = [Int32](repeating: 0, count: bound) }
        return storage.withUnsafeMutableBufferPointer { room in
            var sink = BufferSink(room: room, prefetchingRowsAt: rows, rowBytes: rowBytes)
            hashFeatures(of: tokens, into: &sink)
            return sink.count
        }
    }

    /// Calls `body` with the signed bucket of every feature of `tokens`: for each token in turn,
    /// the token, then the pair ending with it, then the triple ending with it, then its
    /// sub-words.
    public func forEachFeature(of tokens: TokenBuffer, _ body: (Int32) -> Void) {
        withoutActuallyEscaping(body) { body in
            var sink = ClosureSink(body: body)
            hashFeatures(of: tokens, into: &sink)
        }
    }

    /// `forEachFeature`'s loop, generic over where the indices go so that each use is compiled
    /// on its own: writing to a buffer then keeps the count in a register, where a closure
    /// capturing it would store and reload it for every feature.
    @inline(__always)
    private func hashFeatures<Sink: FeatureSink>(of tokens: TokenBuffer, into sink: inout Sink) {
        let bucketCount = UInt64(buckets)
        tokens.withUnsafeStorage { bytes, ends in
            var previousUnigram = FNV1a()
            var previousBigram = FNV1a()
            var start = 0
            for (token, end) in ends.enumerated() {
                // The n-grams ending here continue the hashes of the ones before them, so one
                // pass over the token's bytes feeds all three.
                var unigram = FNV1a()
                var bigram = previousUnigram
                var trigram = previousBigram
                bigram.combine(0x20)
                trigram.combine(0x20)
                if maxNGram >= 3 {
                    for offset in start..<end {
                        let byte = bytes[offset]
                        unigram.combine(byte)
                        bigram.combine(byte)
                        trigram.combine(byte)
                    }
                } else {
                    for offset in start..<end {
                        let byte = bytes[offset]
                        unigram.combine(byte)
                        bigram.combine(byte)
                    }
                }
                Self.add(unigram.value, of: bucketCount, to: &sink)
                if maxNGram >= 2 && token >= 1 { Self.add(bigram.value, of: bucketCount, to: &sink) }
                if maxNGram >= 3 && token >= 2 { Self.add(trigram.value, of: bucketCount, to: &sink) }
                if charNGram > 0 && end - start >= 2 {
                    forEachSubword(of: UnsafeBufferPointer(rebasing: bytes[start..<end]), bucketCount: bucketCount, into: &sink)
                }
                previousUnigram = unigram
                previousBigram = bigram
                start = end
            }
        }
    }

    /// Gives `sink` the signed bucket of each byte n-gram of `<token>`, sliding a window of
    /// `charNGram` bytes along it.
    ///
    /// The frame's bytes are `<`, the token's bytes, then `>`. The window starts holding `<`; the
    /// first `charNGram - 2` token bytes only fill it, each later one completes a sub-word, and
    /// `>` completes the last. Splitting the loop so keeps a per-byte "is this the closing `>`?"
    /// and "is the window full yet?" out of the innermost loop (this runs for every byte of
    /// every token). The shifts and the multiply wrap on purpose (`&<<`, `&*`): the window is
    /// masked to `charNGram` bytes, and the hash is defined modulo 2⁶⁴.
    @inline(__always)
    private func forEachSubword<Sink: FeatureSink>(of token: UnsafeBufferPointer<UInt8>, bucketCount: UInt64, into sink: inout Sink) {
        let frameLength = token.count + 2
        guard frameLength >= charNGram else { return }
        let width = UInt64(charNGram) &* 8  // at most 56 bits, so the marker bit fits
        let marker: UInt64 = 1 &<< width
        let mask: UInt64 = marker &- 1
        var window: UInt64 = 0x3C
        // frameLength >= charNGram, so the token has at least charNGram - 2 bytes to fill with.
        let filling = charNGram - 2
        for offset in 0..<filling {
            window = (window &<< 8 | UInt64(token[offset])) & mask
        }
        for offset in filling..<token.count {
            window = (window &<< 8 | UInt64(token[offset])) & mask
            Self.add((window | marker) &* 0x9E37_79B9_7F4A_7C15, of: bucketCount, to: &sink)
        }
        window = (window &<< 8 | 0x3E) & mask
        Self.add((window | marker) &* 0x9E37_79B9_7F4A_7C15, of: bucketCount, to: &sink)
    }

    /// Gives `sink` the signed index of a hash, and its bucket, from the 128-bit product `hash ×
    /// buckets`: the high word is the bucket, the top bit of the low word the sign — the bit just
    /// below the ones that chose the bucket, which FNV-1a's multiplications mix well (its own low
    /// bit is merely the parity of the input's low bits, so it would give anagrams the same sign).
    @inline(__always)
    private static func add<Sink: FeatureSink>(_ hash: UInt64, of bucketCount: UInt64, to sink: inout Sink) {
        let product = hash.multipliedFullWidth(by: bucketCount)
        let bucket = Int32(truncatingIfNeeded: product.high)
        sink.add(product.low >> 63 == 0 ? bucket : ~bucket, bucket: Int(product.high))
    }

    /// The bucket of a signed index.
    public static func bucket(of index: Int32) -> Int { Int(index >= 0 ? index : ~index) }

    /// The sign (1 or -1) of a signed index.
    public static func sign(of index: Int32) -> Float { index >= 0 ? 1 : -1 }

    /// `value × sign(of: index)`, computed by flipping the value's sign bit when the index is
    /// negative (an XOR with the index's sign bit) rather than by a branch: the signs of successive features are a coin toss, so a branch
    /// would be mispredicted for every other feature. Multiplying by ±1 is exact, so the bits
    /// are the same.
    @inline(__always)
    public static func applySign(of index: Int32, to value: Float) -> Float {
        Float(bitPattern: value.bitPattern ^ (UInt32(bitPattern: index) & 0x8000_0000))
    }
}

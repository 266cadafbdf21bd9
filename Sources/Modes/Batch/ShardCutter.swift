/// The encoded prediction lines of one chunk of rows.
struct EncodedChunk: Sendable {
    /// The JSON Lines bytes.
    var bytes: [UInt8] = []
    /// The end offset (exclusive) of each line in `bytes`.
    var lineEnds: [Int] = []
    /// Predicted rows per label index.
    var labelCounts: [Int]

    init(labelCount: Int) { labelCounts = Array(repeating: 0, count: labelCount) }
}

/// Cuts the lines of consecutive chunks into shards of a fixed number of rows (the last one
/// shorter), so shard boundaries depend only on the shard size, never on chunking or threads.
struct ShardCutter: Sequence, IteratorProtocol {
    /// One shard's bytes and row count.
    struct Shard {
        var bytes: [UInt8]
        var rows: Int
    }

    private let chunks: [EncodedChunk]
    private let shardRows: Int
    private var chunk = 0
    private var line = 0

    init(chunks: [EncodedChunk], shardRows: Int) {
        self.chunks = chunks
        self.shardRows = shardRows
    }

    mutating func next() -> Shard? {
        var shard = Shard(bytes: [], rows: 0)
        while shard.rows < shardRows, chunk < chunks.count {
            let current = chunks[chunk]
            let take = Swift.min(shardRows - shard.rows, current.lineEnds.count - line)
            if take > 0 {
                let start = line == 0 ? 0 : current.lineEnds[line - 1]
                let end = current.lineEnds[line + take - 1]
                if shard.bytes.isEmpty { shard.bytes.reserveCapacity((end - start) * (shardRows / Swift.max(1, take))) }
                shard.bytes.append(contentsOf: current.bytes[start..<end])
                shard.rows += take
                line += take
            }
            if line == current.lineEnds.count { chunk += 1; line = 0 }
        }
        return shard.rows > 0 ? shard : nil
    }
}

import CPrefetch

/// Where `FeatureHashing` puts the signed buckets it computes, one feature at a time.
protocol FeatureSink {
    /// Takes the signed bucket of the next feature, and its bucket (`FeatureHashing.bucket(of:
    /// index)`, which the hasher has at hand).
    mutating func add(_ index: Int32, bucket: Int)
}

/// Writes signed buckets one after another into room sized for them beforehand (overrunning it
/// traps), and may ask the CPU to fetch each bucket's row of a weight table as it goes.
///
/// A text's rows are scattered over a table larger than the caches. Prefetched while the later
/// features are still being hashed, they arrive while the CPU has other work, instead of all at
/// once in the scoring loop; on the reference machine that made prediction about a quarter faster.
struct BufferSink: FeatureSink {
    private let room: UnsafeMutableBufferPointer<Int32>
    private let rows: UnsafeRawPointer?
    private let rowBytes: Int
    /// How many have been written, from the start of the room.
    private(set) var count = 0

    /// A sink writing to `room`, prefetching for each bucket `b` the bytes at `rows + b × rowBytes`
    /// (nil: no prefetching).
    init(room: UnsafeMutableBufferPointer<Int32>, prefetchingRowsAt rows: UnsafeRawPointer? = nil, rowBytes: Int = 0) {
        self.room = room
        self.rows = rows
        self.rowBytes = rowBytes
    }

    @inline(__always)
    mutating func add(_ index: Int32, bucket: Int) {
        precondition(count < room.count, "feature storage overflow")
        room[count] = index
        count += 1
        if let rows { rehearsal_prefetch_for_read(rows + bucket &* rowBytes) }
    }
}

/// Passes each signed bucket to a closure.
struct ClosureSink: FeatureSink {
    let body: (Int32) -> Void

    @inline(__always)
    mutating func add(_ index: Int32, bucket: Int) { body(index) }
}

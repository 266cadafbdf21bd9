import Synchronization

/// What the stream has done so far: read by `GET /status`, the harness and tests.
public struct StreamStatus: Sendable, Equatable {
    /// Whether a stream connection is open.
    public var connected: Bool
    /// Stream connections accepted so far.
    public var connections: Int
    /// Stream connections refused with 429.
    public var refused: Int
    /// Connections the service closed abruptly (`dropEvery`, `dropAt`).
    public var drops: Int
    /// Tweet lines sent, over all connections (backfilled ones included).
    public var tweetsSent: Int
    /// Heartbeats sent, over all connections.
    public var heartbeatsSent: Int
}

/// The live counters behind ``StreamStatus``, and the one-connection slot.
final class StreamCounters: Sendable {
    private let connections = Atomic<Int>(0)
    private let refused = Atomic<Int>(0)
    private let drops = Atomic<Int>(0)
    private let tweets = Atomic<Int>(0)
    private let heartbeats = Atomic<Int>(0)
    /// The number of the connection holding the stream, if one does.
    private let holder = Mutex<Int?>(nil)

    var status: StreamStatus {
        StreamStatus(connected: holder.withLock { $0 != nil }, connections: connections.load(ordering: .relaxed),
                     refused: refused.load(ordering: .relaxed), drops: drops.load(ordering: .relaxed),
                     tweetsSent: tweets.load(ordering: .relaxed), heartbeatsSent: heartbeats.load(ordering: .relaxed))
    }

    /// Takes the stream for a new connection and returns its number, or nil (and counts a
    /// refusal) when another connection holds it.
    func connect() -> Int? {
        let number: Int? = holder.withLock { current in
            guard current == nil else { return nil }
            let number = connections.add(1, ordering: .relaxed).newValue
            current = number
            return number
        }
        if number == nil { refused.add(1, ordering: .relaxed) }
        return number
    }

    /// Frees the stream if connection `number` still holds it (safe to call more than once).
    func disconnect(_ number: Int) {
        holder.withLock { current in
            if current == number { current = nil }
        }
    }

    func sentTweets(_ count: Int) { tweets.add(count, ordering: .relaxed) }
    func sentHeartbeats(_ count: Int) { heartbeats.add(count, ordering: .relaxed) }
    func dropped() { drops.add(1, ordering: .relaxed) }
}

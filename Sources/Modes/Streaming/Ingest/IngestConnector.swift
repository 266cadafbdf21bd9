import Foundation
import JSON
import LocalCloud
import Synchronization

/// Reads the tweet stream and publishes every tweet to the `tweets` topic, with the tweet id as
/// both its deduplication id and its ordering key, so a tweet that arrives twice (a reconnect's
/// backfill repeats what was already read) is stored once.
///
/// Lines are published in batches, one transaction each: a batch is published when it is full
/// or when the stream has caught up (nothing more is buffered), so a tweet never waits for the
/// next one. Heartbeats are counted. When the connection drops or fails, the connector waits as
/// ``ReconnectBackoff`` says, on the clock, and reconnects asking for `backfillMinutes` of
/// backfill, so nothing sent while it was away is lost.
public final class IngestConnector: Sendable {
    /// Where tweets go.
    public let queue: any MessageQueue
    /// The topic they are published to.
    public let topic: String
    /// Lines published per transaction at most.
    public let batchSize: Int
    /// The backfill asked for on every reconnect (v2 allows 1…5 minutes).
    public let backfillMinutes: Int
    private let counters = Mutex(IngestCounters())

    /// A connector publishing to `topic` on `queue`.
    public init(queue: any MessageQueue, topic: String, batchSize: Int = 500, backfillMinutes: Int = 5) {
        self.queue = queue
        self.topic = topic
        self.batchSize = max(1, batchSize)
        self.backfillMinutes = backfillMinutes
    }

    /// What the connector has done so far.
    public var counts: IngestCounters { counters.withLock { $0 } }

    /// Reads `source` until `shouldStop` says so (checked at every event and before every
    /// reconnect) or the task is cancelled, reconnecting after drops and errors with `backoff`
    /// waits on `clock`; `onReconnect` is told how each connection ended and how long the wait
    /// before the next is. Blocking reads run on the calling task's thread.
    /// - Throws: the queue's error (a publish that failed; what was not published is read again
    ///   from the backfill by the next run), or `CancellationError`.
    public func run(source: some TweetStreamSource, clock: any CloudClock, backoff: ReconnectBackoff,
                    shouldStop: @escaping @Sendable () -> Bool = { false },
                    onReconnect: (@Sendable (StreamSessionEnd, Duration) -> Void)? = nil) async throws {
        var backoff = backoff
        var backfill: Int?
        while !shouldStop() && !Task.isCancelled {
            let session = await DedicatedThread.run { [backfill] in self.session(source, backfillMinutes: backfill, shouldStop: shouldStop) }
            backfill = backfillMinutes
            if let failure = session.publishFailure { throw failure }
            if session.delivered { backoff.reset() }
            let failure: ReconnectBackoff.Failure
            switch session.end {
            case .stopped: return
            case .closedByServer, .dropped, .networkError:
                counters.withLock { $0.drops += 1 }
                failure = .network
            case .httpError(let status, let body):
                counters.withLock { $0.httpErrors.append("\(status) \(body.prefix(200))") }
                failure = status == 429 ? .rateLimited : .http
            }
            if shouldStop() { return }
            let wait = backoff.delay(after: failure)
            counters.withLock { $0.reconnectWaits.append(wait) }
            onReconnect?(session.end, wait)
            try await clock.sleep(until: clock.now.advanced(by: wait))
        }
    }

    /// How one connection went.
    private struct Session: @unchecked Sendable {
        var end: StreamSessionEnd
        /// Whether any line arrived.
        var delivered: Bool
        /// The publish that failed, ending the session (`@unchecked`: an error crosses threads once).
        var publishFailure: (any Error)?
    }

    /// Reads one connection, publishing as it goes (blocking).
    private func session(_ source: some TweetStreamSource, backfillMinutes: Int?, shouldStop: () -> Bool) -> Session {
        var pending: [OutgoingMessage] = []
        var result = Session(end: .stopped, delivered: false)
        counters.withLock { $0.connections += 1 }
        result.end = source.connect(backfillMinutes: backfillMinutes) { event in
            switch event {
            case .line(let data):
                pending.append(Self.message(data))
                result.delivered = true
                if pending.count < batchSize { return !shouldStop() }
            case .heartbeat:
                counters.withLock { $0.heartbeats += 1 }
            case .caughtUp:
                break
            }
            do {
                try flush(&pending)
            } catch {
                result.publishFailure = error
                return false
            }
            return !shouldStop()
        }
        if result.publishFailure == nil {
            do { try flush(&pending) } catch { result.publishFailure = error }
        }
        return result
    }

    private func flush(_ pending: inout [OutgoingMessage]) throws {
        guard !pending.isEmpty else { return }
        try queue.publish(pending, to: topic)
        counters.withLock { $0.linesPublished += pending.count }
        pending.removeAll(keepingCapacity: true)
    }

    /// The message for one stream line: keyed by the tweet id when the line has one (a line
    /// without one is still published, to be dead-lettered with its reason downstream).
    static func message(_ line: Data) -> OutgoingMessage {
        let id = TweetID.find(in: line)
        return OutgoingMessage(data: line, orderingKey: id, deduplicationID: id)
    }
}

/// What an `IngestConnector` has done.
public struct IngestCounters: Sendable, Equatable {
    /// Connections tried (one that could not connect, or was refused, included).
    public var connections = 0
    /// Lines published (a repeat that the topic deduplicated counts too).
    public var linesPublished = 0
    /// Heartbeats received.
    public var heartbeats = 0
    /// Connections that ended without being asked to (drops, server closes, network errors).
    public var drops = 0
    /// HTTP errors, as `status body`.
    public var httpErrors: [String] = []
    /// The waits before each reconnect.
    public var reconnectWaits: [Duration] = []
}

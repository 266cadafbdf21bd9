import Foundation
import LocalCloud
import Synchronization

/// A payload logger in the style of KServe's: every prediction becomes one message on a topic,
/// published in batches by a background task, off the request path.
///
/// `record` appends to a bounded buffer under a short lock and returns: it never waits for the
/// queue. When the buffer is full (the queue is down or slower than the traffic), new records
/// are dropped and counted. `run` waits for records without polling — `record` resumes it — and
/// publishes the oldest `batchSize` of them in one `publish` call (one transaction: all or
/// nothing). A failed publish keeps its batch at the front of the buffer and is retried after
/// `retryDelay` on the clock, so messages leave in the order they were recorded, none twice.
public final class PredictionLog: Sendable {
    /// What the log has done so far.
    public struct Counts: Sendable, Equatable {
        /// Records published to the topic.
        public var published: Int
        /// Records dropped because the buffer was full.
        public var dropped: Int
        /// Records waiting in the buffer (including a batch being published).
        public var buffered: Int
        /// `publish` calls that failed (each is retried).
        public var publishFailures: Int

        public init(published: Int, dropped: Int, buffered: Int, publishFailures: Int) {
            self.published = published
            self.dropped = dropped
            self.buffered = buffered
            self.publishFailures = publishFailures
        }
    }

    private struct State {
        var buffer = FIFOBuffer<PredictionRecord>()
        var published = 0
        var dropped = 0
        var publishFailures = 0
        /// `run`, suspended until there is something to publish.
        var waiter: CheckedContinuation<Void, Never>?
        var running = false
    }

    /// The topic the records are published to.
    public let topic: String
    /// The most records the buffer holds.
    public let capacity: Int
    /// The most records published in one call.
    public let batchSize: Int
    /// How long `run` waits on the clock before retrying a failed publish.
    public let retryDelay: Duration
    private let queue: any MessageQueue
    private let clock: any CloudClock
    private let onPublishFailure: (@Sendable (any Error) -> Void)?
    private let state = Mutex(State())
    /// Held while a batch is published, so batches leave one at a time and in order.
    private let publisher = Mutex(())

    /// A log publishing to `topic` of `queue` (the topic must exist when `run` publishes).
    /// - Parameters:
    ///   - clock: what `run` waits on between retries.
    ///   - capacity: the most records buffered (at least 1); more are dropped.
    ///   - batchSize: the most records per `publish` call (at least 1).
    ///   - retryDelay: the pause after a failed publish (not negative).
    ///   - onPublishFailure: told of every failed publish in `run`, e.g. to log it.
    public init(queue: any MessageQueue, topic: String, clock: any CloudClock, capacity: Int = 10_000,
                batchSize: Int = 256, retryDelay: Duration = .seconds(1),
                onPublishFailure: (@Sendable (any Error) -> Void)? = nil) throws(MonitoringSettingsError) {
        try MonitoringSettingsError.require("capacity", capacity, atLeast: 1)
        try MonitoringSettingsError.require("batchSize", batchSize, atLeast: 1)
        guard retryDelay >= .zero else {
            throw MonitoringSettingsError(setting: "retryDelay", reason: "must not be negative, got \(retryDelay)")
        }
        self.queue = queue
        self.topic = topic
        self.clock = clock
        self.capacity = capacity
        self.batchSize = batchSize
        self.retryDelay = retryDelay
        self.onPublishFailure = onPublishFailure
    }

    /// Appends `records` in order, dropping (and counting) those that do not fit. Never blocks
    /// on the queue and never throws.
    public func record(_ records: [PredictionRecord]) {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { state in
            let kept = min(records.count, capacity - state.buffer.count)
            for record in records.prefix(kept) { state.buffer.append(record) }
            state.dropped += records.count - kept
            guard kept > 0, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Publishes until the task is cancelled: waits (without polling) for records, publishes
    /// them a batch at a time, and after a failed publish waits `retryDelay` on the clock and
    /// tries the same batch again. On cancellation it flushes what it can once (a failure goes
    /// to `onPublishFailure`) and returns. A second `run` while one is running returns at once.
    public func run() async {
        let first = state.withLock { state in
            defer { state.running = true }
            return !state.running
        }
        guard first else { return }
        defer { state.withLock { $0.running = false } }
        while !Task.isCancelled {
            await waitForRecords()
            if Task.isCancelled { break }
            do {
                try publisher.withLock { _ in _ = try publishBatch(maxCount: batchSize) }
                await Task.yield()  // one batch at a time, so a long backlog does not hold this thread
            } catch {
                onPublishFailure?(error)
                do { try await clock.sleep(until: clock.now.advanced(by: retryDelay)) } catch { break }
            }
        }
        do { try flush() } catch { onPublishFailure?(error) }
    }

    /// Publishes every record buffered when it is called, batch by batch, before returning
    /// (used at drain, and by tests). Records that arrive meanwhile wait for `run` or the next
    /// flush. Throws the queue's error; the unpublished records stay buffered.
    public func flush() throws {
        try publisher.withLock { _ in
            var remaining = state.withLock { $0.buffer.count }
            while remaining > 0 {
                let published = try publishBatch(maxCount: min(batchSize, remaining))
                if published == 0 { break }
                remaining -= published
            }
        }
    }

    /// What the log has done so far.
    public var counts: Counts {
        state.withLock {
            Counts(published: $0.published, dropped: $0.dropped, buffered: $0.buffer.count, publishFailures: $0.publishFailures)
        }
    }

    /// Publishes up to `maxCount` of the oldest records and removes them from the buffer, or
    /// leaves them there and throws. Call with `publisher` held: only this removes records.
    private func publishBatch(maxCount: Int) throws -> Int {
        let batch = state.withLock { $0.buffer.prefix(maxCount) }
        guard !batch.isEmpty else { return 0 }
        do {
            try queue.publish(batch.map { OutgoingMessage(data: Data($0.jsonBytes)) }, to: topic)
        } catch {
            state.withLock { $0.publishFailures += 1 }
            throw error
        }
        state.withLock { state in
            state.buffer.removeFirst(batch.count)
            state.published += batch.count
        }
        return batch.count
    }

    /// Returns once a record is buffered, or the task is cancelled.
    private func waitForRecords() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // Cancellation is checked under the lock: a cancel that came before the waiter
                // was stored found nothing to resume, so it must be seen here.
                let ready = state.withLock { state in
                    if !state.buffer.isEmpty || Task.isCancelled { return true }
                    state.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let waiter: CheckedContinuation<Void, Never>? = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}

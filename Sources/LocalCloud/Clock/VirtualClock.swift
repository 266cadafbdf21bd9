import Foundation

/// A clock that moves only when `advance(by:)` or `advance(to:)` is called.
///
/// Tasks waiting in `sleep(until:)` are resumed as the clock passes their deadline, in a fixed
/// order: earlier deadlines first, equal deadlines in the order the waits began. Resuming only
/// schedules a waiter's task, so when it runs `now` is at or after its deadline — usually already
/// the target of the `advance` that woke it, and tasks resumed together may run in any order on a
/// multi-threaded executor. To have a waiter see exactly its deadline, advance to that deadline
/// and let the waiter run before advancing further. Thread-safe.
public final class VirtualClock: CloudClock, @unchecked Sendable {
    private struct Waiter {
        let deadline: Instant
        let sequence: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private let lock = NSLock()
    private var current: Instant
    private var waiters: [Waiter] = []
    private var nextSequence: UInt64 = 0

    /// A clock reading `start` (default: 2026-01-01T00:00:00Z) until it is advanced.
    public init(start: Instant = Instant(iso8601: "2026-01-01T00:00:00Z")!) {
        self.current = start
    }

    public var now: Instant { lock.withLock { current } }

    /// How many tasks are waiting in `sleep(until:)`; lets tests wait for readiness without sleeping.
    public var waiterCount: Int { lock.withLock { waiters.count } }

    /// Moves the clock forward by `duration` (a negative or zero duration does nothing).
    public func advance(by duration: Duration) {
        advance(to: now.advanced(by: duration))
    }

    /// Moves the clock forward to `target`, resuming every waiter whose deadline is at or before
    /// it, in deadline order. A target in the past leaves the clock where it is: time never runs
    /// backwards.
    public func advance(to target: Instant) {
        while true {
            let due: Waiter? = lock.withLock {
                guard let index = waiters.indices.min(by: { earlier(waiters[$0], waiters[$1]) }),
                      waiters[index].deadline <= target
                else {
                    if target > current { current = target }
                    return nil
                }
                let waiter = waiters.remove(at: index)
                if waiter.deadline > current { current = waiter.deadline }
                return waiter
            }
            guard let due else { return }
            due.continuation.resume()
        }
    }

    public func sleep(until deadline: Instant) async throws {
        try Task.checkCancellation()
        let sequence: UInt64 = lock.withLock {
            nextSequence += 1
            return nextSequence
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Cancellation is checked under the lock: a cancel landing after the handler was
                // installed but before this point found no waiter to remove, so it must be seen
                // here, or the waiter would hang. (The handler runs after the flag is set, so a
                // cancel after this point finds the waiter.)
                let outcome: Result<Bool, CancellationError> = lock.withLock {
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline <= current { return .success(true) }
                    waiters.append(Waiter(deadline: deadline, sequence: sequence, continuation: continuation))
                    return .success(false)
                }
                switch outcome {
                case .failure(let error): continuation.resume(throwing: error)
                case .success(true): continuation.resume()
                case .success(false): break
                }
            }
        } onCancel: {
            let cancelled: Waiter? = lock.withLock {
                guard let index = waiters.firstIndex(where: { $0.sequence == sequence }) else { return nil }
                return waiters.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }

    private func earlier(_ lhs: Waiter, _ rhs: Waiter) -> Bool {
        (lhs.deadline, lhs.sequence) < (rhs.deadline, rhs.sequence)
    }
}

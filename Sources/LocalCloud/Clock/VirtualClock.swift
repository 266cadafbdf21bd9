import Foundation
import Synchronization

/// A clock that moves only when `advance(by:)` or `advance(to:)` is called.
///
/// Tasks waiting in `sleep(until:)` are resumed as the clock passes their deadline, in a fixed
/// order: earlier deadlines first, equal deadlines in the order the waits began. Resuming only
/// schedules a waiter's task, so when it runs `now` is at or after its deadline — usually already
/// the target of the `advance` that woke it, and tasks resumed together may run in any order on a
/// multi-threaded executor. To have a waiter see exactly its deadline, advance to that deadline
/// and let the waiter run before advancing further. Thread-safe: all state lives in a `Mutex`.
public final class VirtualClock: CloudClock, Sendable {
    private struct Waiter {
        let deadline: Instant
        let sequence: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    /// A task in `waitForWaiters(count:)`.
    private struct Watcher {
        let count: Int
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var current: Instant
        var waiters: [Waiter] = []
        var watchers: [Watcher] = []
        var nextSequence: UInt64 = 0

        /// Removes and returns the watchers whose count of waiters is reached.
        mutating func satisfiedWatchers() -> [Watcher] {
            let count = waiters.count
            let satisfied = watchers.filter { $0.count <= count }
            watchers.removeAll { $0.count <= count }
            return satisfied
        }
    }

    private let state: Mutex<State>

    /// A clock reading `start` (default: 2026-01-01T00:00:00Z) until it is advanced.
    public init(start: Instant = Instant(iso8601: "2026-01-01T00:00:00Z")!) {
        state = Mutex(State(current: start))
    }

    public var now: Instant { state.withLock { $0.current } }

    /// How many tasks are waiting in `sleep(until:)`.
    public var waiterCount: Int { state.withLock { $0.waiters.count } }

    /// The earliest deadline a task is waiting for in `sleep(until:)`, if any: where a driver
    /// that wants every waiter to see exactly its own deadline advances next.
    public var nextDeadline: Instant? { state.withLock { $0.waiters.map(\.deadline).min() } }

    /// Suspends until at least `count` tasks are waiting in `sleep(until:)` (returns at once if
    /// they already are). Explicit readiness for whoever drives the clock: advance only once the
    /// tasks that should see the advance are waiting, without polling. Not cancellable.
    public func waitForWaiters(count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                if state.waiters.count >= count { return true }
                state.watchers.append(Watcher(count: count, continuation: continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Moves the clock forward by `duration` (a negative or zero duration does nothing).
    public func advance(by duration: Duration) {
        advance(to: now.advanced(by: duration))
    }

    /// Moves the clock forward to `target`, resuming every waiter whose deadline is at or before
    /// it, in deadline order. A target in the past leaves the clock where it is: time never runs
    /// backwards.
    public func advance(to target: Instant) {
        while true {
            let due: Waiter? = state.withLock { state in
                guard let index = state.waiters.indices.min(by: { Self.earlier(state.waiters[$0], state.waiters[$1]) }),
                      state.waiters[index].deadline <= target
                else {
                    if target > state.current { state.current = target }
                    return nil
                }
                let waiter = state.waiters.remove(at: index)
                if waiter.deadline > state.current { state.current = waiter.deadline }
                return waiter
            }
            guard let due else { return }
            due.continuation.resume()
        }
    }

    public func sleep(until deadline: Instant) async throws {
        try Task.checkCancellation()
        let sequence: UInt64 = state.withLock { state in
            state.nextSequence += 1
            return state.nextSequence
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Cancellation is checked under the lock: a cancel landing after the handler was
                // installed but before this point found no waiter to remove, so it must be seen
                // here, or the waiter would hang. (The handler runs after the flag is set, so a
                // cancel after this point finds the waiter.)
                let (outcome, watchers): (Result<Bool, CancellationError>, [Watcher]) = state.withLock { state in
                    if Task.isCancelled { return (.failure(CancellationError()), []) }
                    if deadline <= state.current { return (.success(true), []) }
                    state.waiters.append(Waiter(deadline: deadline, sequence: sequence, continuation: continuation))
                    return (.success(false), state.satisfiedWatchers())
                }
                for watcher in watchers { watcher.continuation.resume() }
                switch outcome {
                case .failure(let error): continuation.resume(throwing: error)
                case .success(true): continuation.resume()
                case .success(false): break
                }
            }
        } onCancel: {
            let cancelled: Waiter? = state.withLock { state in
                guard let index = state.waiters.firstIndex(where: { $0.sequence == sequence }) else { return nil }
                return state.waiters.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }

    private static func earlier(_ lhs: Waiter, _ rhs: Waiter) -> Bool {
        (lhs.deadline, lhs.sequence) < (rhs.deadline, rhs.sequence)
    }
}

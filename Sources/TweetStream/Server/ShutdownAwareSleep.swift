import LocalCloud
import ServiceLifecycle
import Synchronization

/// Sleeps on a clock until a deadline or until the service begins a graceful shutdown,
/// whichever comes first.
///
/// ServiceLifecycle's `cancelWhenGracefulShutdown` would do, but it finishes through an
/// unstructured task, which runs on Swift's global pool whatever executor the caller prefers:
/// a stream served on a thread of its own (as rehearsals do) would stall at every wake-up while
/// that pool is busy. Here everything runs as child tasks of the caller, and both ways out
/// resume synchronously.
enum ShutdownAwareSleep {
    /// Sleeps on `clock` until `deadline`; returns true when a graceful shutdown began first.
    /// - Throws: `CancellationError` when the task is cancelled.
    static func sleep(on clock: any CloudClock, until deadline: Instant) async throws -> Bool {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await clock.sleep(until: deadline)
                return false
            }
            group.addTask {
                await untilGracefulShutdown()
                return true
            }
            defer { group.cancelAll() }
            return try await group.next() ?? false
        }
    }

    /// Returns once a graceful shutdown begins or the task is cancelled.
    private static func untilGracefulShutdown() async {
        let gate = Gate()
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler { await gate.wait() } onGracefulShutdown: { gate.open() }
        } onCancel: {
            gate.open()
        }
    }

    /// A one-way gate: `wait()` returns once `open()` was called, before or after.
    private final class Gate: Sendable {
        private let state = Mutex<(isOpen: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

        func wait() async {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let isOpen = state.withLock { state in
                    if !state.isOpen { state.waiter = continuation }
                    return state.isOpen
                }
                if isOpen { continuation.resume() }
            }
        }

        func open() {
            let waiter = state.withLock { state in
                state.isOpen = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}

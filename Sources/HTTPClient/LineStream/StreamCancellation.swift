import Synchronization

/// Stops `LineStream`s from another thread: `cancel()` wakes every stream using this token out of
/// its wait for the network at once (libcurl's `curl_multi_wakeup`, no polling interval), and it
/// ends with `LineStreamEnd.cancelled`, even while the server is silent. Cancelling is final: a
/// stream started later with a cancelled token ends before connecting. Use a new token for each
/// stream that may be cancelled on its own.
public final class StreamCancellation: Sendable {
    private struct State {
        var cancelled = false
        /// The streams running with this token now.
        var waiting: [MultiWaker] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Cancels every stream running with this token, and every later one.
    public func cancel() {
        state.withLock { state in
            state.cancelled = true
            for waker in state.waiting { waker.wake() }
        }
    }

    /// Whether `cancel()` was called.
    public var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Wakes `waker` on cancellation until `remove(_:)`: while registered its multi handle must live.
    func add(_ waker: MultiWaker) {
        state.withLock { $0.waiting.append(waker) }
    }

    /// Stops waking `waker`; after this, its multi handle may be cleaned up.
    func remove(_ waker: MultiWaker) {
        state.withLock { state in
            if let index = state.waiting.firstIndex(of: waker) { state.waiting.remove(at: index) }
        }
    }
}

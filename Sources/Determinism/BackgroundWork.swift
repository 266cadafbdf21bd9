import Dispatch
import Foundation

/// A value computed on a thread of its own while the caller does other work; `value()` waits
/// for it. One caller owns it: `value()` is not for several threads at once. The thread is not
/// the dispatch pool's (see `ParallelWork`), so work that blocks never starves Swift's
/// concurrency.
public final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
    /// Written only by the working thread until `done` is signalled, read only after.
    private var result: Value?
    private let done = DispatchSemaphore(value: 0)
    /// Whether the caller has waited for `done` (touched only by the caller).
    private var waited = false

    /// Starts computing `body` on a new thread.
    public init(_ body: @escaping @Sendable () -> Value) {
        Thread.detachNewThread {
            self.result = body()
            self.done.signal()
        }
    }

    /// The value, once it is computed (each call after the first returns at once).
    public func value() -> Value {
        if !waited {
            done.wait()
            waited = true
        }
        return result!
    }
}

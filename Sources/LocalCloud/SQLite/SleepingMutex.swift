import Foundation

/// A value guarded by an `NSLock` (a plain pthread mutex on Linux, like the object store's
/// lock), for a SQLite connection that threads hold for long stretches (a transaction of
/// hundreds of rows takes milliseconds).
///
/// `Synchronization.Mutex` is a priority-inheritance futex on Linux, and a thread waiting for
/// one spins in the kernel for as long as the holder keeps running on another core. Around a
/// connection held that long, on a machine of two cores, a waiter spinning took the core the
/// threads with other work (predicting, serving the stream) needed: `bench/stream` measured
/// 11.9–13.5 k tweets/s with `Mutex` around the queue's and the sink's connections, and
/// 13.8–15.5 k with a pthread mutex. Here a waiter sleeps until the lock is free.
public final class SleepingMutex<Value>: @unchecked Sendable {
    private let lock = NSLock()
    /// Read and written only with `lock` held.
    private var value: Value

    public init(_ value: consuming Value) {
        self.value = value
    }

    /// Runs `body` with the value, holding the lock (not reentrant: the same thread must not
    /// ask again inside `body`).
    public func withLock<Result>(_ body: (inout sending Value) throws -> sending Result) rethrows -> sending Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

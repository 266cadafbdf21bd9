import Glibc

/// A value guarded by a plain pthread mutex, for a SQLite connection that threads hold for
/// long stretches (a transaction of hundreds of rows takes milliseconds).
///
/// `Synchronization.Mutex` is a priority-inheritance futex on Linux, and a thread waiting for
/// one spins in the kernel for as long as the holder keeps running on another core. Around a
/// connection held that long, on a machine of two cores, a waiter spinning took the core the
/// threads with other work (predicting, serving the stream) needed: `bench/stream` measured
/// 11.9–13.5 k tweets/s with `Mutex` around the queue's and the sink's connections, and
/// 13.8–15.5 k with this. Here a waiter sleeps until the mutex is free.
public final class SleepingMutex<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// Read and written only with `mutex` held.
    private var value: Value

    public init(_ value: consuming Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value, holding the mutex (not reentrant: the same thread must not
    /// ask again inside `body`).
    public func withLock<Result>(_ body: (inout sending Value) throws -> sending Result) rethrows -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}

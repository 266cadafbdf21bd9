import Synchronization

/// A value that several tasks and threads read and set, behind a lock.
final class LockedValue<Value: Sendable>: Sendable {
    private let stored: Mutex<Value>

    init(_ value: Value) { stored = Mutex(value) }

    /// The value now.
    var value: Value { stored.withLock { $0 } }

    /// Replaces the value.
    func set(_ value: Value) { stored.withLock { $0 = value } }
}

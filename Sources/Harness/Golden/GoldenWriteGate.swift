import Foundation

/// Lets a run stopped by a signal end between scenarios' golden writes, never inside one: each
/// scenario's goldens (every capture's file and its header) are written holding the gate, and
/// `close()` waits for the writes under way, then keeps any other from starting. So a stopped
/// `--update` leaves every scenario's folder as before or wholly updated, with no half-written
/// temporary file in it.
public final class GoldenWriteGate: Sendable {
    private let lock = NSLock()

    /// An open gate.
    public init() {}

    /// Runs `body` (a scenario's writes) holding the gate.
    func whileOpen<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Waits for the writes under way and lets no other start (for a process about to end).
    public func close() {
        lock.lock()
    }
}

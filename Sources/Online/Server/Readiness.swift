import Synchronization

/// Whether the service has begun draining: readiness answers 503 from then on, while requests
/// already accepted (and those still arriving on open connections) are answered as usual.
final class Readiness: Sendable {
    private let started = Mutex<ContinuousClock.Instant?>(nil)

    /// Whether the service is draining.
    var isDraining: Bool { started.withLock { $0 != nil } }

    /// When the drain started (to judge its timeout), nil if it has not.
    var drainStarted: ContinuousClock.Instant? { started.withLock { $0 } }

    /// Marks the service as draining; readiness is false from now on.
    func startDraining() {
        started.withLock { if $0 == nil { $0 = .now } }
    }
}

import Synchronization

/// Whether the service has begun draining: readiness answers 503 from then on, while requests
/// already accepted (and those still arriving on open connections) are answered as usual.
final class Readiness: Sendable {
    private let draining = Atomic<Bool>(false)

    /// Whether the service is draining.
    var isDraining: Bool { draining.load(ordering: .acquiring) }

    /// Marks the service as draining; readiness is false from now on.
    func startDraining() {
        draining.store(true, ordering: .releasing)
    }
}

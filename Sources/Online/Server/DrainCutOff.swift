import ServiceLifecycle
import Synchronization

/// Tells whether a drain was cut off. `ServiceGroup` cancels the services still running when
/// its graceful shutdown runs past `maximumGracefulShutdownDuration`; a service wrapped with
/// ``watching(_:)`` records that cancellation here.
final class DrainCutOff: Sendable {
    private let cancelled = Atomic<Bool>(false)

    /// Whether a watched service ended cancelled.
    var happened: Bool { cancelled.load(ordering: .acquiring) }

    /// `service`, recording here whether it ends cancelled.
    func watching(_ service: any Service) -> any Service {
        Watched(base: service, cutOff: self)
    }

    private struct Watched: Service {
        let base: any Service
        let cutOff: DrainCutOff

        func run() async throws {
            defer { if Task.isCancelled { cutOff.cancelled.store(true, ordering: .releasing) } }
            try await base.run()
        }
    }
}

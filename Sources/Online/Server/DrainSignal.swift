import Logging
import ServiceLifecycle

/// Turns readiness false as soon as graceful shutdown begins. It is the last service in the
/// group, so it is told first: readiness is false before the server stops accepting connections.
struct DrainSignal: Service {
    let readiness: Readiness
    let logger: Logger

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            return  // cancelled: the service is stopping without a drain
        }
        readiness.startDraining()
        logger.info("draining: readiness is false; answering the requests already accepted")
    }
}

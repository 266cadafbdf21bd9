import Modes
import ServiceLifecycle

/// Runs a service's prediction log in its `ServiceGroup`: publishes batches until the group
/// shuts down gracefully, then publishes what is left (`PredictionLog.run` flushes when
/// cancelled) and returns.
struct PredictionLogService: Service {
    let log: PredictionLog

    func run() async throws {
        let publishing = Task { await log.run() }
        await withGracefulShutdownHandler {
            await publishing.value
        } onGracefulShutdown: {
            publishing.cancel()
        }
    }
}

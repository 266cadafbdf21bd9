import LocalCloud
import Logging
import NIOPosix
import ServiceLifecycle

/// Hot reload by polling: asks the ``ModelHost`` to refresh every `interval` on the clock,
/// until the service starts draining. The service refreshes once more before the server starts
/// (``refresh()``), so by the time it listens the model is loaded, or its failure is known.
/// Refreshing reads the store and decodes artifacts, so it runs on NIO's blocking-work thread
/// pool, never on a request's thread.
struct ModelPoller: Service {
    let host: ModelHost
    let clock: any CloudClock
    let interval: Duration
    let metrics: ServiceMetrics

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while true {
                try await clock.sleep(until: clock.now.advanced(by: interval))
                await refresh()
            }
        }
    }

    /// One refresh, its outcome counted in the metrics.
    func refresh() async {
        let host = host
        guard let outcome = try? await NIOThreadPool.singleton.runIfActive({ host.refresh() }) else { return }
        switch outcome {
        case .unchanged: break
        case .loaded(_, let replaced):
            if replaced != nil { metrics.reloads.increment() }
            if let model = host.current { metrics.recordServing(model) }
        case .failed: metrics.reloadFailures.increment()
        }
    }
}

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

import LocalCloud
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

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while true {
                try await clock.sleep(until: clock.now.advanced(by: interval))
                await refresh()
            }
        }
    }

    /// One refresh (its outcome is in the host's status, which logs, metadata and metrics read).
    func refresh() async {
        let host = host
        _ = try? await NIOThreadPool.singleton.runIfActive { host.refresh() }
    }
}

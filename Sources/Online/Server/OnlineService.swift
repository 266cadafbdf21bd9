import HTTPServerSupport
import Hummingbird
import HummingbirdCore
import LocalCloud
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The online inference service: a Hummingbird 2 HTTP server speaking the KServe V2 REST
/// protocol (plus `POST /predict` and `GET /metrics`) over a model from the registry or an
/// artifact, with hot reload, limits, metrics and a graceful drain.
///
/// Lifecycle (swift-service-lifecycle): ``run(onListening:)`` runs until SIGTERM or SIGINT (or
/// ``triggerDrain()``). A drain first turns readiness false (`/v2/health/ready` answers 503),
/// then stops accepting connections, answers every request already accepted, closes idle
/// connections, and returns — or, past the drain timeout, cuts off what is left and throws.
public final class OnlineService: Sendable {
    /// The model being served, and hot reload.
    public let host: ModelHost
    private let configuration: OnlineServiceConfiguration
    private let clock: any CloudClock
    private let logger: Logger
    private let readiness = Readiness()
    private let metrics = ServiceMetrics()
    private let workspaces = WorkspacePool()
    private let group = Mutex<ServiceGroup?>(nil)
    private let drainRequested = Atomic<Bool>(false)
    /// The prediction log and quality monitor, when the service has a queue.
    private let monitoring: ServiceMonitoring?
    private let monitoringMetrics: MonitoringMetrics?

    /// A service for `configuration`. A registry source reads `store`; the poll for hot
    /// reload sleeps on `clock`. With `monitoring`, every prediction is logged and remembered
    /// for feedback.
    public init(configuration: OnlineServiceConfiguration, store: (any ObjectStore)?, clock: any CloudClock, logger: Logger,
                monitoring: ServiceMonitoring? = nil) {
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        self.monitoring = monitoring
        let registry = metrics.registry
        monitoringMetrics = monitoring.map { _ in MonitoringMetrics(registry: registry) }
        host = ModelHost(source: configuration.source, store: store, logger: logger)
    }

    /// The Hummingbird application: router, HTTP/1 server with the connection limits, and the
    /// hot-reload poller (a first refresh runs before the server starts listening).
    /// `run(onListening:)` runs it; tests may drive it with HummingbirdTesting.
    public func application(onListening: @escaping @Sendable (Int) -> Void = { _ in }) -> Application<RouterResponder<BasicRequestContext>> {
        let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: ServiceMiddleware(metrics: metrics, logger: logger))
        ServiceRoutes(host: host, limits: configuration.limits, readiness: readiness, metrics: metrics,
                      events: PredictionEvents(metrics: metrics, monitoring: monitoring), workspaces: workspaces,
                      serverVersion: configuration.serverVersion, monitoring: monitoring,
                      monitoringMetrics: monitoringMetrics).register(on: router)
        let limits = configuration.limits
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionClosing.handler(),
                                        ConnectionGuard(headerTimeout: limits.headerTimeout, maximumBodyBytes: limits.maximumBodyBytes)],
            idleTimeout: TimeAmount(limits.idleTimeout))
        var application = Application(
            router: router,
            server: .http1(configuration: http1),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        if case .registry = configuration.source {
            let poller = ModelPoller(host: host, clock: clock, interval: configuration.reloadInterval)
            application.addServices(poller)
            application.beforeServerStarts { await poller.refresh() }
        }
        return application
    }

    /// Whether the service answers ready: a model is loaded and no drain has begun.
    public var isReady: Bool { host.current != nil && !readiness.isDraining }

    /// Serves until SIGTERM, SIGINT or ``triggerDrain()``, then drains. `onListening` gets the
    /// bound port once the server accepts connections (the chosen one when the port is 0).
    /// - Throws: ``OnlineServiceError/drainTimedOut(after:)`` when the drain ran out of time, or
    ///   the server's error (the address is in use, say).
    public func run(onListening: @escaping @Sendable (Int) -> Void) async throws {
        let cutOff = DrainCutOff()
        var groupConfiguration = ServiceGroupConfiguration(
            // Shut down in reverse order: readiness turns false, the server drains, and only
            // then does the prediction log publish what is left and stop.
            services: (monitoring.map { [.init(service: cutOff.watching(PredictionLogService(log: $0.log)))] } ?? [])
                + [.init(service: cutOff.watching(application(onListening: onListening))),
                   .init(service: DrainSignal(readiness: readiness, logger: logger))],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = configuration.drainTimeout
        let serviceGroup = ServiceGroup(configuration: groupConfiguration)
        group.withLock { $0 = serviceGroup }
        if drainRequested.load(ordering: .acquiring) { await serviceGroup.triggerGracefulShutdown() }
        try await serviceGroup.run()
        // Past the drain timeout the group cancels what still runs; a caller's own
        // cancellation is not a timeout.
        if cutOff.happened && !Task.isCancelled {
            throw OnlineServiceError.drainTimedOut(after: configuration.drainTimeout)
        }
    }

    /// Starts a drain, as SIGTERM does.
    public func triggerDrain() async {
        drainRequested.store(true, ordering: .releasing)
        if let serviceGroup = group.withLock({ $0 }) { await serviceGroup.triggerGracefulShutdown() }
    }
}

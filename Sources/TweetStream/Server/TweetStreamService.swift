import Hummingbird
import HummingbirdCore
import LocalCloud
import Logging
import ServiceLifecycle
import Synchronization

/// The emulated tweet stream: a Hummingbird 2 server speaking the shape of Twitter's API v2
/// filtered stream over a ``ReplaySchedule``, on a ``CloudClock``.
///
/// A tweet goes out once the clock has reached its arrival, if it matches a rule, to the
/// connection open at that time: tweets that arrive while nobody is connected are missed,
/// except that a connection with `backfill_minutes=N` (1…5) first gets the matching tweets that
/// arrived in the last N minutes. A client resumes without loss by reconnecting with a backfill
/// covering the time it was away, and dropping the tweet ids it has already seen.
/// docs/streaming.md, "The emulated tweet stream", has the endpoints and the rule language.
///
/// Lifecycle (swift-service-lifecycle): ``run(stopsOnSignals:onListening:)`` serves until
/// SIGTERM, SIGINT or ``stop()``; then the open stream ends cleanly and the server stops.
public final class TweetStreamService: Sendable {
    private let configuration: TweetStreamConfiguration
    private let clock: any CloudClock
    private let logger: Logger
    private let counters = StreamCounters()
    private let rules: RulesEndpoint
    private let session: StreamSession
    private let group = Mutex<ServiceGroup?>(nil)
    private let stopRequested = Atomic<Bool>(false)

    /// A service streaming `schedule` on `clock`.
    /// - Throws: ``TweetStreamError`` for an initial rule that is not valid, or a configuration
    ///   value out of range.
    public init(configuration: TweetStreamConfiguration, schedule: ReplaySchedule, clock: any CloudClock, logger: Logger) throws {
        if let dropEvery = configuration.dropEvery, dropEvery < 1 {
            throw TweetStreamError.invalidConfiguration(field: "dropEvery", reason: "expected at least 1 tweet, got \(dropEvery)")
        }
        guard !configuration.token.isEmpty else {
            throw TweetStreamError.invalidConfiguration(field: "token", reason: "expected a non-empty bearer token")
        }
        var ruleSet = RuleSet(seed: schedule.settings.seed)
        for (index, rule) in configuration.initialRules.enumerated() {
            do {
                try ruleSet.add(value: rule.value, tag: rule.tag)
            } catch {
                let reason = switch error {
                case .invalid(let syntax): syntax.message
                case .duplicate: "the same value is given twice"
                }
                throw TweetStreamError.invalidInitialRule(index: index, value: rule.value, reason: reason)
            }
        }
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        rules = RulesEndpoint(rules: ruleSet, clock: clock)
        session = StreamSession(schedule: schedule, clock: clock, rules: rules, counters: counters,
                                dropEvery: configuration.dropEvery, dropAt: configuration.dropAt)
    }

    /// Connections, drops, tweets and heartbeats sent so far (also served at `GET /status`).
    public var status: StreamStatus { counters.status }

    /// The rules in force, in id order.
    public var rulesInForce: [FilterRule] { rules.current.rules }

    /// The Hummingbird application (router and HTTP/1 server); ``run(stopsOnSignals:onListening:)`` runs it in
    /// a service group. `onListening` gets the bound port (the chosen one when the port is 0).
    public func application(onListening: @escaping @Sendable (Int) -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router(context: StreamRequestContext.self)
        StreamRoutes(session: session, rules: rules, counters: counters, clock: clock, token: configuration.token).register(on: router)
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Serves until SIGTERM or SIGINT (unless `stopsOnSignals` is false, for a process that
    /// handles those itself) or ``stop()``, then ends the open stream cleanly and stops.
    /// - Throws: the server's error (the address is in use, say).
    public func run(stopsOnSignals: Bool = true, onListening: @escaping @Sendable (Int) -> Void) async throws {
        var groupConfiguration = ServiceGroupConfiguration(
            services: [.init(service: application(onListening: onListening))],
            gracefulShutdownSignals: stopsOnSignals ? [.sigterm, .sigint] : [],
            logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownTimeout
        let serviceGroup = ServiceGroup(configuration: groupConfiguration)
        group.withLock { $0 = serviceGroup }
        if stopRequested.load(ordering: .acquiring) { await serviceGroup.triggerGracefulShutdown() }
        try await serviceGroup.run()
    }

    /// Stops the service gracefully, as SIGTERM does.
    public func stop() async {
        stopRequested.store(true, ordering: .releasing)
        if let serviceGroup = group.withLock({ $0 }) { await serviceGroup.triggerGracefulShutdown() }
    }
}

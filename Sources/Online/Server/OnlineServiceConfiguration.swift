/// How to run the online inference service.
public struct OnlineServiceConfiguration: Sendable {
    /// The address to listen on (`127.0.0.1`).
    public var host: String
    /// The port to listen on; 0 picks a free one (see `OnlineService.run(onListening:)`).
    public var port: Int
    /// The model to serve.
    public var source: ModelSource
    /// Request size limits and connection timeouts.
    public var limits: ServiceLimits
    /// How long a drain may take to answer the requests already accepted (10 s); past it, the
    /// rest are cut off and `run` throws ``OnlineServiceError/drainTimedOut(after:)``.
    public var drainTimeout: Duration
    /// How often the registry alias is read for hot reload (1 s), on the service's clock.
    public var reloadInterval: Duration
    /// The version `GET /v2` reports.
    public var serverVersion: String

    /// A configuration with the documented defaults for everything not given.
    public init(source: ModelSource, host: String = "127.0.0.1", port: Int = 8080, limits: ServiceLimits = ServiceLimits(),
                drainTimeout: Duration = .seconds(10), reloadInterval: Duration = .seconds(1), serverVersion: String) {
        self.source = source
        self.host = host
        self.port = port
        self.limits = limits
        self.drainTimeout = drainTimeout
        self.reloadInterval = reloadInterval
        self.serverVersion = serverVersion
    }
}

/// Why the service stopped with a failure.
public enum OnlineServiceError: Error, Equatable, CustomStringConvertible {
    /// The drain took longer than its timeout: requests still in progress were cut off.
    case drainTimedOut(after: Duration)

    public var description: String {
        switch self {
        case .drainTimedOut(let after):
            "the drain did not finish within \(after): requests still in progress were cut off"
        }
    }
}

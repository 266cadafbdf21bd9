/// Why an online step or capture failed.
public enum OnlineError: Error, Sendable, CustomStringConvertible {
    /// `rehearse serve` exited or stayed silent instead of printing its listening line.
    case serviceDidNotStart(status: Int32, log: String)
    /// The `rehearse` executable that `serve` steps start was not found.
    case noExecutable
    /// A step uses a service that no `serve` step has started (or that was drained).
    case serviceNotRunning(String)
    /// A `serve` step for a service that is already running.
    case serviceAlreadyRunning(String)
    /// A target service did not answer `GET /v2/health/ready` with 200 in time.
    case targetNotReady(service: String, url: String, detail: String)
    /// A request could not be sent or got no response (connection refused, timeout…).
    case transport(service: String, detail: String)
    /// A service did not show the alias move (new version or new `last_error`) in time.
    case reloadNotSeen(service: String, model: String, version: Int)
    /// A target service cannot be signalled: it is not our process.
    case cannotSignalTarget(String)
    /// A capture names requests, a load or a service exit that never happened.
    case nothingToCapture(String)
    /// A service's response was not the JSON a step or capture needs.
    case unexpectedResponse(service: String, detail: String)

    /// The problem, naming the service.
    public var description: String {
        switch self {
        case .serviceDidNotStart(let status, let log):
            "rehearse serve did not start (exit status \(status))" + (log.isEmpty ? "" : "; its log ends:\n\(log)")
        case .noExecutable: "cannot find the rehearse executable to start a service or worker process (no `rehearse` beside this program; run scenarios with rehearse run)"
        case .serviceNotRunning(let name): "service \"\(name)\" is not running: start it with a \"serve: \(name)\" step first"
        case .serviceAlreadyRunning(let name): "service \"\(name)\" is already running"
        case .targetNotReady(let service, let url, let detail): "service \"\(service)\" at \(url) is not ready: \(detail)"
        case .transport(let service, let detail): "service \"\(service)\": \(detail)"
        case .reloadNotSeen(let service, let model, let version):
            "service \"\(service)\" did not pick up version \(version) of model \"\(model)\" (nor report a failure to load it) within 120 s"
        case .cannotSignalTarget(let name): "service \"\(name)\" is a target (already running elsewhere) and cannot be drained by the scenario"
        case .nothingToCapture(let what): "nothing to capture: \(what)"
        case .unexpectedResponse(let service, let detail): "service \"\(service)\" answered unexpectedly: \(detail)"
        }
    }
}

import Foundation
import HTTPClient
import JSON
import Synchronization

/// The online side of one scenario run: the services it started (child processes) or targets,
/// and everything its requests, loads and drains produced, for the captures to read.
///
/// Every HTTP request goes through `HTTPClient` (libcurl). Steps run one after another, except a
/// load's midway steps, which run on another thread while the load goes on: the state sits in a
/// `Mutex`.
final class OnlineSession: Sendable {
    /// A service the scenario can send requests to.
    struct RunningService: Sendable {
        let spec: ServiceSpec
        /// Its root URL.
        let url: String
        /// The child process, or nil for a target.
        let process: ServiceProcess?
    }

    /// A load's exchanges, in request order, and the lane that sent each (a lane sends its
    /// requests one after another).
    struct LoadRecord: Sendable {
        let exchanges: [Exchange]
        let lanes: [Int]
    }

    private struct State {
        var services: [String: RunningService] = [:]
        var exchanges: [String: [Exchange]] = [:]
        var loads: [String: LoadRecord] = [:]
        var exits: [String: Int32?] = [:]
        /// For each model, where each row was sent: the V2 request id and the row's index in it.
        var sentRows: [String: [String: (requestID: String, index: Int)]] = [:]
    }

    private let state = Mutex(State())
    private let executable: URL?
    private let sandboxRoot: URL
    private let targets: [String: String]

    /// How long one request may take.
    static let requestTimeout: Duration = .seconds(30)
    /// How many times (10 ms apart) `moveAlias` looks for a reload: 120 s in all. A reload
    /// takes well under a second on a quiet machine; the budget is for a loaded CI machine, where
    /// 30 s once ran out while other suites trained models on both cores.
    static let reloadLooks = 12_000

    /// A session starting services with `executable` (`rehearse`) against `sandboxRoot`;
    /// `targets` (service name → URL) overrides the scenario's own targets.
    init(executable: URL?, sandboxRoot: URL, targets: [String: String]) {
        self.executable = executable
        self.sandboxRoot = sandboxRoot
        self.targets = targets
    }

    // MARK: Steps

    /// The root URLs of the services running now, by name.
    var serviceURLs: [String: String] { state.withLock { $0.services.mapValues(\.url) } }

    /// Starts the service as a child process, or checks that its target is ready.
    func serve(_ spec: ServiceSpec) throws {
        if state.withLock({ $0.services[spec.name] }) != nil { throw OnlineError.serviceAlreadyRunning(spec.name) }
        let running: RunningService
        if let target = targets[spec.name] ?? spec.target {
            let url = target.hasSuffix("/") ? String(target.dropLast()) : target
            try waitUntilReady(spec.name, url: url)
            running = RunningService(spec: spec, url: url, process: nil)
        } else {
            guard let executable else { throw OnlineError.noExecutable }
            var arguments = [
                "--root", sandboxRoot.path, "--bucket", spec.model.bucket, "--model", "\(spec.model.name)@\(spec.aliasOrVersion)",
                "--host", "127.0.0.1", "--port", "0",
                "--reload-interval", "\(Self.milliseconds(spec.reloadInterval))ms",
                "--drain-timeout", "\(Self.milliseconds(spec.drainTimeout))ms",
                "--log-topic", spec.logTopic, "--clock-file", sandboxRoot.appendingPathComponent("clock.txt").path,
            ]
            if spec.logText { arguments.append("--log-text") }
            arguments += spec.extraArguments
            let process = try ServiceProcess(executable: executable, arguments: arguments,
                                             logPath: sandboxRoot.path + "/serve-\(spec.name).log")
            running = RunningService(spec: spec, url: process.url, process: process)
            try waitUntilReady(spec.name, url: process.url)
        }
        state.withLock { $0.services[spec.name] = running }
    }

    /// Sends the step's requests one after another and keeps the exchanges under its name.
    func request(_ step: RequestStep, rows: [SliceRow]) throws {
        let service = try running(step.service.name)
        let client = HTTPClient()
        var exchanges: [Exchange] = []
        for planned in PlannedRequest.plan(step.source, name: step.name, rows: rows) {
            exchanges.append(Self.exchange(planned, result: Result { () throws(HTTPClientError) in
                try client.send(httpRequest(planned, service: service))
            }))
        }
        record(exchanges, of: step)
    }

    /// Replays the step's requests over concurrent connections in three parts: the first half;
    /// then the midway steps, run on another thread while the second half goes on; and, once
    /// they are done, a last `4 × connections` requests held back so that what the midway steps
    /// changed (a new model, a drained service) is always seen by the end of the load.
    func load(_ step: LoadStep, rows: [SliceRow], midway: @escaping @Sendable () throws -> Void) throws {
        let service = try running(step.service.name)
        let planned = PlannedRequest.plan(step.source, name: step.name, rows: rows, count: step.requests)
        let half = planned.count / 2
        let heldBack = step.midway.isEmpty ? 0 : min(planned.count - half, 4 * step.connections)
        let parts = [0..<half, half..<(planned.count - heldBack), (planned.count - heldBack)..<planned.count]
        var outcomes: [LoadDriver.Outcome] = []
        func send(_ part: Range<Int>) throws {
            let requests = planned[part].map { httpRequest($0, service: service) }
            outcomes += try LoadDriver.run(requests, connections: step.connections)
        }
        try send(parts[0])
        let midwayFailure = Mutex<(any Error)?>(nil)
        let midwayDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do { try midway() } catch { midwayFailure.withLock { $0 = error } }
            midwayDone.signal()
        }
        try send(parts[1])
        midwayDone.wait()
        if let error = midwayFailure.withLock({ $0 }) { throw error }
        try send(parts[2])
        let exchanges = zip(planned, outcomes).map { Self.exchange($0, result: $1.result) }
        record(exchanges, of: step, lanes: outcomes.map(\.lane))
    }

    /// Sends the true labels of the slice rows that earlier infer requests to `step.model` carried.
    func feedback(_ step: FeedbackStep, rows: [SliceRow]) throws {
        let service = try running(step.service.name)
        let sent = state.withLock { $0.sentRows[step.model] ?? [:] }
        let items: [JSONValue] = rows.compactMap { row in
            guard let place = sent[row.id] else { return nil }
            return .object(["id": .string(place.requestID), "index": .number(Double(place.index)), "label": .string(row.label)])
        }
        guard !items.isEmpty else { throw OnlineError.nothingToCapture("no row of slice \"\(step.slice.name)\" was sent to model \"\(step.model)\" before this feedback step") }
        let body = JSONValue.object(["feedback": .array(items)])
        let planned = PlannedRequest(method: "POST", path: "/v2/models/\(step.model)/feedback", headers: [("content-type", "application/json")],
                                     body: Array(body.canonicalText.utf8), requestID: nil, rows: [])
        let response = try sendChecked(planned, service: service)
        guard response.status == 200 else {
            throw OnlineError.unexpectedResponse(service: service.spec.name, detail: "feedback got \(response.status): \(String(decoding: response.body, as: UTF8.self))")
        }
        if let name = step.name {
            let exchange = Self.exchange(planned, result: .success(response))
            state.withLock { $0.exchanges[name, default: []].append(exchange) }
        }
    }

    /// Sends SIGTERM to the service, waits for it to drain and exit, and keeps its exit status.
    func drain(_ spec: ServiceSpec) throws {
        let service = try running(spec.name)
        guard let process = service.process else { throw OnlineError.cannotSignalTarget(spec.name) }
        let status = process.drain(deadline: spec.drainTimeout)
        state.withLock {
            $0.services[spec.name] = nil
            $0.exits[spec.name] = .some(status)
        }
    }

    /// Moves an alias with `move`, then waits until every started service serving `model@alias`
    /// shows `version` in its model metadata, or a `last_error` other than before the move (a
    /// version it refused to load). What each service showed is read before the move: read
    /// after it, a quick reload's error would already be there, and look like no change.
    func moveAlias(model: String, alias: String, version: Int, _ move: () throws -> Void) throws {
        let watching = state.withLock { state in
            state.services.values.filter { $0.process != nil && $0.spec.model.name == model && $0.spec.aliasOrVersion == alias }
        }
        let before = try watching.map { try metadata(model: model, service: $0) }
        try move()
        for (service, before) in zip(watching, before) {
            var seen = false
            for _ in 0..<Self.reloadLooks {
                let now = try metadata(model: model, service: service)
                if now.version == version || (now.lastError != nil && now.lastError != before.lastError) {
                    seen = true
                    break
                }
                usleep(10_000)  // bounded: `reloadLooks` looks, 10 ms apart
            }
            if !seen { throw OnlineError.reloadNotSeen(service: service.spec.name, model: model, version: version) }
        }
    }

    /// Drains every service still running (end of the scenario, or after a failure).
    func stopAll() {
        let services = state.withLock { state in
            defer { state.services.removeAll() }
            return Array(state.services.values)
        }
        for service in services { service.process?.drain(deadline: service.spec.drainTimeout) }
    }

    // MARK: What captures read

    /// The exchanges kept under a request name.
    func exchanges(_ name: String) -> [Exchange]? { state.withLock { $0.exchanges[name] } }

    /// A load's record.
    func loadRecord(_ name: String) -> LoadRecord? { state.withLock { $0.loads[name] } }

    /// A drained service's exit status (nil inside when it had to be killed).
    func exitStatus(_ name: String) -> Int32?? { state.withLock { $0.exits[name] } }

    /// Asks the service to publish what its prediction log holds: polls its `/metrics` until the
    /// log's buffer is empty (bounded).
    func waitForPredictionLogs() throws {
        let services = state.withLock { Array($0.services.values) }
        for service in services where service.process != nil {
            for _ in 0..<Self.reloadLooks {
                let planned = PlannedRequest(method: "GET", path: "/metrics", headers: [], body: [], requestID: nil, rows: [])
                let text = String(decoding: try sendChecked(planned, service: service).body, as: UTF8.self)
                if Self.metric("rehearse_prediction_log_buffered", in: text) == 0 { break }
                usleep(10_000)
            }
        }
    }

    // MARK: Pieces

    private func running(_ name: String) throws -> RunningService {
        guard let service = state.withLock({ $0.services[name] }) else { throw OnlineError.serviceNotRunning(name) }
        return service
    }

    private func record(_ exchanges: [Exchange], of step: RequestStep) {
        state.withLock { state in
            state.exchanges[step.name, default: []] += exchanges
            if case .infer(let model, _, _, _) = step.source { Self.remember(exchanges, model: model, in: &state) }
        }
    }

    private func record(_ exchanges: [Exchange], of step: LoadStep, lanes: [Int]) {
        state.withLock { state in
            state.loads[step.name] = LoadRecord(exchanges: exchanges, lanes: lanes)
            if case .infer(let model, _, _, _) = step.source { Self.remember(exchanges, model: model, in: &state) }
        }
    }

    /// Notes where each row of answered infer requests went (a row sent twice: the last time).
    private static func remember(_ exchanges: [Exchange], model: String, in state: inout State) {
        for exchange in exchanges where exchange.status == 200 {
            guard let id = exchange.request.requestID else { continue }
            for (index, row) in exchange.request.rowIDs.enumerated() { state.sentRows[model, default: [:]][row] = (id, index) }
        }
    }

    private func httpRequest(_ planned: PlannedRequest, service: RunningService) -> HTTPRequest {
        HTTPRequest(method: planned.method, url: service.url + planned.path, headers: planned.headers, body: planned.body,
                    timeout: Self.requestTimeout)
    }

    private func sendChecked(_ planned: PlannedRequest, service: RunningService) throws -> HTTPResponse {
        do { return try HTTPClient().send(httpRequest(planned, service: service)) } catch {
            throw OnlineError.transport(service: service.spec.name, detail: "\(error)")
        }
    }

    private static func exchange(_ planned: PlannedRequest, result: Result<HTTPResponse, HTTPClientError>) -> Exchange {
        switch result {
        case .success(let response):
            Exchange(request: planned, status: response.status, headers: response.headers.map { ($0.name.lowercased(), $0.value) },
                     body: response.body, failure: nil, failureKind: nil, elapsed: response.elapsed)
        case .failure(let error):
            Exchange(request: planned, status: nil, headers: [], body: [], failure: "\(error)", failureKind: failureKind(error), elapsed: .zero)
        }
    }

    /// `refused` when no connection was made; `reset` when the connection was closed before any
    /// answer came (libcurl's empty reply, send or receive failure: how a server that stops
    /// drops a request it never read); `timeout`; `failed` for anything else.
    private static func failureKind(_ error: HTTPClientError) -> String {
        switch error {
        case .cannotConnect: "refused"
        case .transport(_, let code, _) where [52, 55, 56].contains(code): "reset"
        case .timedOut: "timeout"
        default: "failed"
        }
    }

    /// Waits (bounded: 500 looks 10 ms apart) until `GET /v2/health/ready` answers 200.
    private func waitUntilReady(_ name: String, url: String) throws {
        let client = HTTPClient()
        var detail = "no answer"
        for _ in 0..<500 {
            do {
                let response = try client.send(HTTPRequest(method: "GET", url: url + "/v2/health/ready", headers: [], body: [], timeout: .seconds(5)))
                if response.status == 200 { return }
                detail = "GET /v2/health/ready answered \(response.status)"
            } catch {
                detail = "\(error)"
            }
            usleep(10_000)
        }
        throw OnlineError.targetNotReady(service: name, url: url, detail: detail)
    }

    /// The served version and `last_error` from `GET /v2/models/{model}`.
    private func metadata(model: String, service: RunningService) throws -> (version: Int?, lastError: String?) {
        let planned = PlannedRequest(method: "GET", path: "/v2/models/\(model)", headers: [], body: [], requestID: nil, rows: [])
        let response = try sendChecked(planned, service: service)
        guard let json = try? JSONParser.parse(String(decoding: response.body, as: UTF8.self)) else {
            throw OnlineError.unexpectedResponse(service: service.spec.name, detail: "model metadata is not JSON")
        }
        var version: Int?
        if case .string(let text)? = json.member("version") { version = Int(text) }
        var lastError: String?
        if case .string(let text)? = json.member("parameters")?.member("last_error") { lastError = text }
        return (version, lastError)
    }

    /// The value of an unlabelled Prometheus sample, if present.
    static func metric(_ name: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}

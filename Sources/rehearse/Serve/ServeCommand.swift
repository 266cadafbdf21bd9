import ArgumentParser
import Foundation
import Harness
import LocalCloud
import Logging
import Modes
import Online

/// `rehearse serve`: the online inference service.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a model over HTTP: KServe V2 inference, a plain /predict, health and Prometheus metrics.",
        discussion: """
            Serves name@alias (or name@version) from the model registry in --bucket of the local \
            cloud at --root, or an artifact file with --model-file. Once listening, prints \
            exactly one line on standard output, `listening on http://HOST:PORT` (with --port 0, \
            the free port picked); logs go to standard error.

            Endpoints (README, "Online inference: rehearse serve"):
              GET  /v2/health/live       always 200
              GET  /v2/health/ready      503 until a model is loaded, and while draining
              GET  /v2                   server metadata
              GET  /v2/models/NAME[/versions/V]          model metadata
              GET  /v2/models/NAME[/versions/V]/ready
              POST /v2/models/NAME[/versions/V]/infer    KServe V2 inference
              POST /predict              {"text": "..."} or {"texts": [...]}
              GET  /metrics              Prometheus text format

            Hot reload: the alias is read every --reload-interval (a poll on the clock). When it \
            points at another version, that version is loaded off the request path and swapped \
            in at once; requests in flight finish on the model they started with. A version that \
            cannot be loaded never replaces the one being served: the error shows in the log, in \
            /metrics (rehearse_model_reload_failures_total) and as last_error in the model metadata.

            Prediction log and quality monitoring (when --root gives a local cloud, also with \
            --model-file): every prediction becomes a message on --log-topic of the cloud's \
            queue (request id and index, model and version, label, score, the SHA-256 of the text \
            — the text itself only with --log-text — and the time), published in batches off the \
            request path; a bounded buffer (--log-buffer) drops and counts what the queue cannot \
            take. POST /v2/models/NAME/feedback takes true labels for earlier request ids; rolling \
            accuracy and macro-F1 over the last --quality-window labels are kept per version, and \
            when accuracy falls under the floor (--quality-floor, default the model's test \
            accuracy − 0.05) with at least --quality-min-labels labels, one quality-degraded \
            message goes to --quality-topic. Both show in /metrics.

            SIGTERM or SIGINT drains: readiness turns false, the server stops accepting \
            connections, answers the requests already accepted within --drain-timeout, and exits 0 \
            (1 if the drain ran out of time).

            Examples:
              rehearse serve --root /tmp/cloud --bucket data \\
                  --model sentiment@production --port 0
              rehearse serve --model-file model.rmodel --port 8080
              curl -s localhost:8080/predict -H 'Content-Type: application/json' \\
                  -d '{"text":"I love it :)"}'
              (V2 request bodies, errors and more examples: README, "Online inference")
            """)

    @Option(help: ArgumentHelp("The local cloud's root folder: its registry (with --bucket and --model) and its queue (the prediction log).", valueName: "DIR"))
    var root: String?

    @Option(help: ArgumentHelp("The bucket holding the model registry.", valueName: "BUCKET"))
    var bucket: String?

    @Option(help: ArgumentHelp("The registry model: name@alias (followed when it moves) or name@version.", valueName: "NAME@ALIAS"))
    var model: String?

    @Option(help: ArgumentHelp("Serve this artifact file instead of a registry model (as version 1).", valueName: "FILE"))
    var modelFile: String?

    @Option(help: ArgumentHelp("The model name to serve --model-file under.", valueName: "NAME"))
    var name = "sentiment"

    @Option(help: ArgumentHelp("The address to listen on.", valueName: "ADDRESS"))
    var host = "127.0.0.1"

    @Option(parsing: .unconditional, help: ArgumentHelp("The port to listen on; 0 picks a free one.", valueName: "PORT"))
    var port = 8080

    @Option(help: ArgumentHelp("How often to read the alias for hot reload (registry models).", valueName: "DURATION"))
    var reloadInterval = DurationArgument("1s")

    @Option(help: ArgumentHelp("How long a drain may take to answer the requests already accepted.", valueName: "DURATION"))
    var drainTimeout = DurationArgument("10s")

    @Option(help: ArgumentHelp("The largest request body (e.g. 1MiB, 512KiB, 65536); larger gets 413.", valueName: "SIZE"))
    var maxBody = ByteSizeArgument("1MiB")

    @Option(parsing: .unconditional, help: ArgumentHelp("The most texts in one request; more gets 413.", valueName: "N"))
    var maxTexts = 1000

    @Option(parsing: .unconditional, help: ArgumentHelp("The longest text in UTF-8 bytes (as in batch); longer gets 413.", valueName: "N"))
    var maxTextBytes = 4096

    @Option(help: ArgumentHelp("How long a request's headers may take once it has started; then 408 and the connection closes.", valueName: "DURATION"))
    var headerTimeout = DurationArgument("10s")

    @Option(help: ArgumentHelp("How long a connection may stay open with no request in progress.", valueName: "DURATION"))
    var idleTimeout = DurationArgument("60s")

    @Option(help: ArgumentHelp("The queue topic of the prediction log (created if missing; needs --root).", valueName: "TOPIC"))
    var logTopic = "predictions"

    @Flag(help: "Put each text in the prediction log, not only its SHA-256.")
    var logText = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Prediction records buffered for the log at most; more are dropped and counted.", valueName: "N"))
    var logBuffer = 10_000

    @Option(help: ArgumentHelp("The queue topic of quality-degraded messages (created if missing; needs --root).", valueName: "TOPIC"))
    var qualityTopic = "model-quality"

    @Option(parsing: .unconditional, help: ArgumentHelp("Rolling accuracy and macro-F1 are kept over the last N labelled predictions of a version.", valueName: "N"))
    var qualityWindow = 500

    @Option(parsing: .unconditional, help: ArgumentHelp("Labels needed in the window before quality can count as degraded.", valueName: "N"))
    var qualityMinLabels = 200

    @Option(parsing: .unconditional, help: ArgumentHelp("The accuracy floor (default: the model's test accuracy from its metadata − 0.05; none if it has none).", valueName: "ACCURACY"))
    var qualityFloor: Double?

    @Option(help: ArgumentHelp("Take the time for log records and quality events from this file (one ISO-8601 line, rewritten by whoever moves the time), as `rehearse run` does to share its virtual clock.", valueName: "FILE"))
    var clockFile: String?

    @Flag(name: .customLong("stop-at-stdin-eof"), help: "Drain and exit, as on SIGTERM, when standard input reaches end of file: a parent that holds the other end of a pipe takes the service with it when it exits, even killed by SIGKILL (`rehearse run` starts its services so).")
    var stopAtStdinEOF = false

    func validate() throws {
        if modelFile != nil {
            guard model == nil, bucket == nil else {
                throw ValidationError("give --model-file, or --bucket and --model, not both")
            }
            guard Self.isPathSegment(name) else {
                throw ValidationError("--name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit "
                                      + "(it is the NAME of /v2/models/NAME), got \"\(name)\"")
            }
        } else {
            guard let model, root != nil, bucket != nil else {
                throw ValidationError("give --root, --bucket and --model (name@alias or name@version), or --model-file")
            }
            guard ModelReference(model) != nil else {
                throw ValidationError("--model is name@alias or name@version, e.g. sentiment@production")
            }
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port is 0 (a free port) to 65535") }
        for (flag, value) in [("--log-buffer", logBuffer), ("--quality-window", qualityWindow), ("--quality-min-labels", qualityMinLabels),
                              ("--max-texts", maxTexts), ("--max-text-bytes", maxTextBytes), ("--max-body", maxBody.bytes)] where value < 1 {
            throw ValidationError("\(flag) must be at least 1, got \(value)")
        }
        guard qualityMinLabels <= qualityWindow else { throw ValidationError("--quality-min-labels cannot exceed --quality-window") }
        if let qualityFloor, !(0...1).contains(qualityFloor) { throw ValidationError("--quality-floor is an accuracy from 0 to 1") }
        if clockFile != nil, root == nil { throw ValidationError("--clock-file needs --root: it times the prediction log and quality events") }
        if logText, root == nil { throw ValidationError("--log-text needs --root: the prediction log goes to the cloud's queue") }
        if root != nil, logTopic == qualityTopic {
            throw ValidationError("--log-topic and --quality-topic are both \"\(logTopic)\": quality events would mix with the prediction log")
        }
        for (flag, value) in [("--reload-interval", reloadInterval), ("--drain-timeout", drainTimeout),
                              ("--header-timeout", headerTimeout), ("--idle-timeout", idleTimeout)] where value.duration <= .zero {
            throw ValidationError("\(flag) must be longer than 0 (e.g. 1s, 250ms)")
        }
    }

    /// Whether `name` can be a model's name in a URL path as it is: ASCII letters, digits, `.`,
    /// `_` and `-`, starting with a letter or digit, at most 64.
    static func isPathSegment(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) }
        guard let first = scalars.first, scalars.count <= 64, isLetterOrDigit(first) else { return false }
        return scalars.allSatisfy { isLetterOrDigit($0) || "._-".unicodeScalars.contains($0) }
    }

    func run() async throws {
        ServerLogHandler.bootstrap(level: .info)
        let logger = Logger(label: "rehearse.serve")
        try await ListeningServer.run(host: host, port: port) { onListening in
            let (source, store) = try modelSource()
            let configuration = OnlineServiceConfiguration(
                source: source, host: host, port: port,
                limits: ServiceLimits(maximumBodyBytes: maxBody.bytes, maximumTexts: maxTexts, maximumTextBytes: maxTextBytes,
                                      headerTimeout: headerTimeout.duration, idleTimeout: idleTimeout.duration),
                drainTimeout: drainTimeout.duration, reloadInterval: reloadInterval.duration,
                serverVersion: RehearsalVersion.current)
            let service = OnlineService(configuration: configuration, store: store, clock: SystemClock(), logger: logger,
                                        monitoring: try monitoring())
            let watchesStandardInput = stopAtStdinEOF
            try await service.run { port in
                onListening(port)
                // Only now, with the service's SIGTERM handling in place: an input already at
                // its end then drains the service rather than killing it outright.
                if watchesStandardInput { StandardInputWatch.terminateAtEndOfFile() }
            }
        }
    }

    /// The prediction log and quality monitor on the queue of the cloud at --root, if given.
    private func monitoring() throws -> ServiceMonitoring? {
        guard let root else { return nil }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)  // --model-file may name a new root
        let clock: any CloudClock = try clockFile.map { try FileClock(path: $0) } ?? SystemClock()
        let queue = try SQLiteMessageQueue(path: CloudSandbox.queuePath(URL(fileURLWithPath: root)), clock: clock)
        let configuration = MonitoringConfiguration(
            logTopic: logTopic, logText: logText, logCapacity: logBuffer, qualityTopic: qualityTopic,
            quality: QualityMonitor.Settings(window: qualityWindow, minimumLabels: qualityMinLabels, floor: qualityFloor))
        return try ServiceMonitoring(configuration: configuration, queue: queue, clock: clock, retryClock: SystemClock())
    }

    /// The model to serve, and the store to read the registry from.
    private func modelSource() throws -> (ModelSource, (any ObjectStore)?) {
        if let modelFile {
            return (.artifact(try ModelFile.load(modelFile), name: name), nil)
        }
        let root = URL(fileURLWithPath: root!)
        guard FileManager.default.fileExists(atPath: DirectoryObjectStore.indexPath(root)) else {
            throw CommandFailure("no local cloud at \(root.path): \(DirectoryObjectStore.indexPath(root)) does not exist")
        }
        let store = try DirectoryObjectStore(inspecting: root)
        return (.registry(bucket: bucket!, model: ModelReference(model!)!), store)
    }
}

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

    @Option(help: ArgumentHelp("The local cloud's root folder (with --bucket and --model).", valueName: "DIR"))
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

    @Option(help: ArgumentHelp("The port to listen on; 0 picks a free one.", valueName: "PORT"))
    var port = 8080

    @Option(help: ArgumentHelp("How often to read the alias for hot reload (registry models).", valueName: "DURATION"))
    var reloadInterval = DurationArgument("1s")

    @Option(help: ArgumentHelp("How long a drain may take to answer the requests already accepted.", valueName: "DURATION"))
    var drainTimeout = DurationArgument("10s")

    @Option(help: ArgumentHelp("The largest request body (e.g. 1MiB, 512KiB, 65536); larger gets 413.", valueName: "SIZE"))
    var maxBody = ByteSizeArgument("1MiB")

    @Option(help: ArgumentHelp("The most texts in one request; more gets 413.", valueName: "N"))
    var maxTexts = 1000

    @Option(help: ArgumentHelp("The longest text in UTF-8 bytes (as in batch); longer gets 413.", valueName: "N"))
    var maxTextBytes = 4096

    @Option(help: ArgumentHelp("How long a request's headers may take once it has started; then 408 and the connection closes.", valueName: "DURATION"))
    var headerTimeout = DurationArgument("10s")

    @Option(help: ArgumentHelp("How long a connection may stay open with no request in progress.", valueName: "DURATION"))
    var idleTimeout = DurationArgument("60s")

    func validate() throws {
        if modelFile != nil {
            guard model == nil, root == nil, bucket == nil else {
                throw ValidationError("give --model-file, or --root, --bucket and --model, not both")
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
        guard maxBody.bytes >= 1, maxTexts >= 1, maxTextBytes >= 1 else {
            throw ValidationError("--max-body, --max-texts and --max-text-bytes must be at least 1")
        }
        for (flag, value) in [("--reload-interval", reloadInterval), ("--drain-timeout", drainTimeout),
                              ("--header-timeout", headerTimeout), ("--idle-timeout", idleTimeout)] where value.duration <= .zero {
            throw ValidationError("\(flag) must be longer than 0 (e.g. 1s, 250ms)")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "rehearse.serve")
        do {
            let (source, store) = try modelSource()
            let configuration = OnlineServiceConfiguration(
                source: source, host: host, port: port,
                limits: ServiceLimits(maximumBodyBytes: maxBody.bytes, maximumTexts: maxTexts, maximumTextBytes: maxTextBytes,
                                      headerTimeout: headerTimeout.duration, idleTimeout: idleTimeout.duration),
                drainTimeout: drainTimeout.duration, reloadInterval: reloadInterval.duration,
                serverVersion: RehearsalVersion.current)
            let service = OnlineService(configuration: configuration, store: store, clock: SystemClock(), logger: logger)
            let shownHost = host.contains(":") ? "[\(host)]" : host
            try await service.run { port in
                FileHandle.standardOutput.write(Data("listening on http://\(shownHost):\(port)\n".utf8))
            }
        } catch {
            Console.note("error: \(error)")
            throw ExitCode.failure
        }
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

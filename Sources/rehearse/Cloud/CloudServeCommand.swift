import ArgumentParser
import Foundation
import LocalCloud
import Logging
import Wire

/// `rehearse cloud serve`: the sandbox over the wire, for code written with boto3, the AWS CLI
/// or an AWS SDK.
struct CloudServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a cloud folder over S3's REST API and SQS's JSON protocol, signed with AWS Signature V4.",
        discussion: """
            Serves the object store and queue under --root (created when missing) — the same \
            folder `rehearse run --keep` leaves and the other `rehearse cloud` commands read — \
            so what is written over the wire is visible to them, and the reverse. Once \
            listening, prints exactly one line on standard output, `listening on \
            http://HOST:PORT` (with --port 0, the free port picked); logs go to standard error.

            S3 is path-style (http://HOST:PORT/BUCKET/KEY); object versions are the store's \
            generation numbers. A queue is a subscription of the local queue: SendMessage \
            publishes to its topic. Requests must be signed with Signature V4 by the \
            --access-key / --secret-key pair (default test / test, as LocalStack and moto), \
            unless --allow-anonymous. What differs from AWS: docs/wire.md.

            Admin endpoints (not signed): GET /_rehearsal/clock, POST /_rehearsal/clock with \
            {"advance_seconds": N} or {"to": "ISO-8601"} (a virtual clock only), \
            GET /_rehearsal/faults, POST /_rehearsal/faults with {"seed": N, "rates": \
            {"object_store_error": 0.1, …}} (a seeded fault plan; {"rates": {}} switches it \
            off), and GET /_rehearsal/ledger (operation counts).

            Examples:
              rehearse cloud serve --root /tmp/cloud --port 4566
              AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 \\
                  aws --endpoint-url http://127.0.0.1:4566 s3 cp data.csv s3://data/in/data.csv
              rehearse cloud serve --root /tmp/cloud --port 0 --start 2026-01-05T00:00:00Z
            """)

    @Option(help: ArgumentHelp("The cloud folder to serve (created when missing).", valueName: "DIR"))
    var root: String

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(parsing: .unconditional, help: "The port to listen on; 0 picks a free one.")
    var port = 4566

    @Option(name: .customLong("access-key"), help: "The access key ID requests are signed with.")
    var accessKey = WireGateway.defaultCredentials.accessKeyID

    @Option(name: .customLong("secret-key"), help: "The secret access key requests are signed with.")
    var secretKey = WireGateway.defaultCredentials.secretAccessKey

    @Flag(name: .customLong("allow-anonymous"), help: "Accept unsigned requests too (signed ones are still checked).")
    var allowAnonymous = false

    @Option(help: ArgumentHelp("Run on a virtual clock starting at this ISO-8601 time, moved by POST /_rehearsal/clock "
                                   + "(default: the wall clock).", valueName: "TIME"))
    var start: String?

    func validate() throws {
        if let start {
            guard let instant = Instant(iso8601: start) else {
                throw ValidationError("--start: expected an ISO-8601 time like 2026-01-05T00:00:00Z, got \"\(start)\"")
            }
            // A clock moved back would hold leases for years and date generations before older ones.
            let rootURL = URL(fileURLWithPath: root)
            let saved: Instant?
            do {
                saved = try CloudSandbox.savedClockReading(rootURL)
            } catch {
                throw ValidationError("--start cannot be checked against where this root's clock was left: \(error)")
            }
            if let saved, instant < saved {
                throw ValidationError("--start \(start) is before \(saved.iso8601), where this root's clock was left "
                                      + "(\(CloudSandbox.clockPath(rootURL))): leases and retention would run backwards; start at or after it")
            }
        }
        guard (0...65_535).contains(port) else { throw ValidationError("--port: expected 0…65535, got \(port)") }
        if accessKey.isEmpty || secretKey.isEmpty { throw ValidationError("--access-key and --secret-key must not be empty") }
    }

    func run() async throws {
        ServerLogHandler.bootstrap(level: .warning)
        try await ListeningServer.run(host: host, port: port) { onListening in
            let clock: any CloudClock = start.flatMap(Instant.init(iso8601:)).map { VirtualClock(start: $0) } ?? SystemClock()
            let sandbox = try CloudSandbox(root: URL(fileURLWithPath: root), clock: clock)
            let gateway = WireGateway(sandbox: sandbox, credentials: [SigV4Credentials(accessKeyID: accessKey, secretAccessKey: secretKey)],
                                      allowAnonymous: allowAnonymous)
            let server = WireServer(gateway: gateway, host: host, port: port, logger: Logger(label: "rehearse.cloud.serve"))
            try await server.run(onListening: onListening)
            if clock is VirtualClock { try sandbox.saveClockReading() }
        }
    }
}

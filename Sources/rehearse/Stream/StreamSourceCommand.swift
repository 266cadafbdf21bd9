import ArgumentParser
import Foundation
import LocalCloud
import Logging
import TweetStream

/// `rehearse stream-source`: the emulated tweet stream, serving the corpus in real time.
struct StreamSourceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream-source",
        abstract: "Serve the tweet corpus as an emulated Twitter API v2 filtered stream, in real time.",
        discussion: """
            Replays the corpus texts (looped with new ids when --tweets asks for more) as tweets \
            arriving at --rate per second of a seeded Poisson process, with optional bursts and \
            late tweets, on the system clock from the moment the command starts. Once listening, \
            prints exactly one line on standard output, `listening on http://HOST:PORT` (with \
            --port 0, the free port picked); logs go to standard error.

            Endpoints (docs/streaming.md, "The emulated tweet stream"):
              GET  /2/tweets/search/stream[?backfill_minutes=1..5]   newline-delimited tweets
              GET  /2/tweets/search/stream/rules                     the rules
              POST /2/tweets/search/stream/rules[?dry_run=true]      {"add": [...]} or {"delete": {"ids": [...]}}
              GET  /status                                           progress counters (not v2)

            Every /2 request needs `Authorization: Bearer TOKEN`, the token being the value of \
            the environment variable named by --token-env (default REHEARSE_STREAM_TOKEN), or \
            `rehearsal-stream-token` when that variable is unset. One stream connection at a \
            time (a second gets 429). A tweet is sent only if it matches a rule: give rules \
            with --rule or POST them. The same --seed gives the same stream, byte for byte.

            SIGTERM or SIGINT ends the open stream cleanly and exits 0.

            Examples:
              rehearse stream-source --port 0 --rate 50 --rule 'happy OR love#joy' --rule 'sad#gloom'
              rehearse stream-source --tweets 1000000 --rate 10000 --burst 30s:10s:4 \\
                  --late-fraction 0.1 --late-max-delay 2m --drop-every 5000
              curl -sN localhost:8080/2/tweets/search/stream \\
                  -H "Authorization: Bearer rehearsal-stream-token"
            """)

    @Option(help: ArgumentHelp("The address to listen on.", valueName: "ADDRESS"))
    var host = "127.0.0.1"

    @Option(parsing: .unconditional, help: ArgumentHelp("The port to listen on; 0 picks a free one.", valueName: "PORT"))
    var port = 8080

    @Option(parsing: .unconditional, help: ArgumentHelp("The seed of arrival times, late tweets, authors and rule ids.", valueName: "N"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("The environment variable holding the bearer token.", valueName: "NAME"))
    var tokenEnv = "REHEARSE_STREAM_TOKEN"

    @Option(help: ArgumentHelp("The stream time at the command's start, for created_at and ids (default: the real time).", valueName: "ISO-8601"))
    var start: String?

    @OptionGroup var stream: EmulatedStreamOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port is 0 (a free port) to 65535") }
        if let start, Instant(iso8601: start) == nil { throw ValidationError("--start expects an ISO-8601 time like 2026-01-01T00:00:00Z, got \(start)") }
    }

    func run() async throws {
        ServerLogHandler.bootstrap(level: .info)
        let logger = Logger(label: "rehearse.stream-source")
        try await ListeningServer.run(host: host, port: port) { onListening in
            let clock: any CloudClock = start.flatMap { Instant(iso8601: $0) }.map { ShiftedClock(start: $0) } ?? SystemClock()
            let schedule = try stream.schedule(of: stream.texts(), seed: seed, start: clock.now)
            let token = ProcessInfo.processInfo.environment[tokenEnv].flatMap { $0.isEmpty ? nil : $0 } ?? TweetStreamConfiguration.defaultToken
            let service = try TweetStreamService(configuration: stream.configuration(host: host, port: port, token: token),
                                                 schedule: schedule, clock: clock, logger: logger)
            try await service.run(onListening: onListening)
        }
    }
}

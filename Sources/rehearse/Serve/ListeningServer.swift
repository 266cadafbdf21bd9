import ArgumentParser
import Foundation
import NIOCore

/// How the serving commands (`serve`, `cloud serve`, `stream-source`) run a server: they print
/// `listening on http://<host>:<port>` once it is bound, and a server that fails ends the process
/// with `error: …` on standard error and exit status 1 — a socket error said plainly, with the
/// address it was about.
enum ListeningServer {
    /// Runs `serve` (which also sets the server up), handing it what to call with the bound port.
    static func run(host: String, port: Int, _ serve: (@escaping @Sendable (Int) -> Void) async throws -> Void) async throws {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        do {
            try await serve { bound in
                FileHandle.standardOutput.write(Data("listening on http://\(shownHost):\(bound)\n".utf8))
            }
        } catch let error as IOError {
            Console.note("error: cannot serve on \(shownHost):\(port): \(String(cString: strerror(error.errnoCode))) (errno \(error.errnoCode))")
            throw ExitCode.failure
        } catch {
            Console.note("error: \(error)")
            throw ExitCode.failure
        }
    }
}

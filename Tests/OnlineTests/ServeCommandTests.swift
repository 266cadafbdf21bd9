import Foundation
import JSON
import LocalCloud
import ModelCore
import Testing
import TestSupport

/// `rehearse serve` as a child process, as the harness and users run it: port 0, the
/// `listening on` line, requests over real sockets, signals by pid.
@Suite("rehearse serve")
struct ServeCommandTests {
    /// A running `rehearse serve`, killed (SIGKILL) by a watchdog if a test leaves it hanging.
    final class Server: @unchecked Sendable {
        let process = Process()
        let output = Pipe()
        let errors = Pipe()
        private(set) var port = 0

        /// Starts `rehearse serve arguments…`, its standard input from `input` if given (a `Pipe`
        /// or a `FileHandle`).
        init(_ arguments: [String], input: Any? = nil) throws {
            process.executableURL = try rehearseURL()
            process.arguments = ["serve"] + arguments
            process.standardOutput = output
            process.standardError = errors
            if let input { process.standardInput = input }
            try process.run()
            let pid = process.processIdentifier, running = process
            DispatchQueue.global().asyncAfter(deadline: .now() + 120) { if running.isRunning { kill(pid, SIGKILL) } }
        }

        /// Reads the first line of standard output: `listening on http://127.0.0.1:PORT`.
        func listeningLine() -> String {
            var line: [UInt8] = []
            var byte: UInt8 = 0
            while read(output.fileHandleForReading.fileDescriptor, &byte, 1) == 1, byte != UInt8(ascii: "\n") { line.append(byte) }
            let text = String(decoding: line, as: UTF8.self)
            if let port = text.split(separator: ":").last.flatMap({ Int($0) }) { self.port = port }
            return text
        }

        /// Sends `signal` to the process (by its pid; none if nil) and waits for it to exit.
        func stop(_ signal: Int32? = SIGTERM) -> (status: Int32, output: String, errors: String) {
            if let signal { kill(process.processIdentifier, signal) }
            let rest = output.fileHandleForReading.readDataToEndOfFile()
            let errorText = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: rest, as: UTF8.self), String(decoding: errorText, as: UTF8.self))
        }
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = try rehearseURL()
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let errorText = errors.fileHandleForReading.readDataToEndOfFile()
        let outputText = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputText, as: UTF8.self), String(decoding: errorText, as: UTF8.self))
    }

    private func artifactFile(_ model: TrainedModel) throws -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory() + "online-model-\(UUID().uuidString).rmodel")
        try Data(model.artifactBytes).write(to: url)
        return url
    }

    @Test("--model-file on port 0: prints exactly the listening line, answers, and exits 0 on SIGTERM")
    func artifactFile() async throws {
        let model = try TestModels.model(seed: 5)
        let file = try artifactFile(model)
        defer { try? FileManager.default.removeItem(at: file) }
        let server = try Server(["--model-file", file.path, "--name", "tweets", "--port", "0"])
        let line = server.listeningLine()
        #expect(line.wholeMatch(of: /listening on http:\/\/127\.0\.0\.1:[0-9]+/) != nil, "\(line)")
        let port = server.port
        let response = try await onThread {
            try RawConnection(port: port).exchange(method: "POST", path: "/v2/models/tweets/infer", body: inferBody(["I love it :)"], id: "a"))
        }
        #expect(response.status == 200)
        let answer = try json(response.body)
        #expect(answer["parameters"]?["model_id"]?.string == model.modelID)
        #expect(answer["outputs"]?[0]?["data"] == [.string(model.predict("I love it :)").label)])
        let stopped = server.stop()
        #expect(stopped.status == 0)
        #expect(stopped.output.isEmpty, "nothing but the listening line on standard output")
    }

    @Test("--stop-at-stdin-eof: serves while its standard input is open, drains and exits 0 once it closes")
    func stopsAtEndOfStandardInput() async throws {
        let file = try artifactFile(try TestModels.model(seed: 5))
        defer { try? FileManager.default.removeItem(at: file) }
        let input = Pipe()
        // Close-on-exec, so no child that other tests start meanwhile keeps the pipe open.
        _ = fcntl(input.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
        let server = try Server(["--model-file", file.path, "--port", "0", "--stop-at-stdin-eof"], input: input)
        _ = server.listeningLine()
        let port = server.port
        let live = try await onThread { try RawConnection(port: port).exchange(method: "GET", path: "/v2/health/live") }
        #expect(live.status == 200)
        try input.fileHandleForWriting.close()
        let stopped = try await onThread { server.stop(nil) }
        #expect(stopped.status == 0)
        #expect(stopped.errors.contains("draining"), "\(stopped.errors)")
    }

    @Test("--stop-at-stdin-eof with standard input already at its end: listens, then drains and exits 0 (not killed by its own SIGTERM)")
    func standardInputAtEndFromTheStart() async throws {
        let file = try artifactFile(try TestModels.model(seed: 5))
        defer { try? FileManager.default.removeItem(at: file) }
        let server = try Server(["--model-file", file.path, "--port", "0", "--stop-at-stdin-eof"], input: FileHandle.nullDevice)
        let line = server.listeningLine()
        #expect(line.hasPrefix("listening on http://127.0.0.1:"), "\(line)")
        let stopped = try await onThread { server.stop(nil) }
        #expect(stopped.status == 0, "\(stopped.errors)")
        #expect(stopped.errors.contains("draining"), "\(stopped.errors)")
    }

    @Test("with a prediction log, a V2 request without an id is answered with the srv-N id it was logged under, which feedback accepts")
    func madeUpIdsAreEchoed() async throws {
        let model = try TestModels.model(seed: 5)
        let file = try artifactFile(model)
        let root = NSTemporaryDirectory() + "online-ids-\(UUID().uuidString)"
        defer {
            try? FileManager.default.removeItem(at: file)
            try? FileManager.default.removeItem(atPath: root)
        }
        let server = try Server(["--model-file", file.path, "--name", "tweets", "--port", "0", "--root", root])
        _ = server.listeningLine()
        let port = server.port
        let answers = try await onThread {
            try [inferBody(["I love it :)"]), inferBody(["meh"], id: "mine"), inferBody(["so sad"])].map {
                try json(RawConnection(port: port).exchange(method: "POST", path: "/v2/models/tweets/infer", body: $0).body)
            }
        }
        #expect(answers.map { $0["id"]?.string } == ["srv-1", "mine", "srv-2"])
        let label = model.predict("I love it :)").label
        let feedback = try await onThread {
            try json(RawConnection(port: port).exchange(method: "POST", path: "/v2/models/tweets/feedback",
                                                        body: #"{"feedback":[{"id":"srv-1","label":"\#(label)"}]}"#).body)
        }
        #expect(feedback["accepted"] == 1, "\(feedback)")
        #expect(server.stop().status == 0)
        // The topics had no subscription: one named as each keeps what was published (at drain).
        let queue = try SQLiteMessageQueue(inspecting: root + "/queue.sqlite", clock: SystemClock())
        let subscriptions = try queue.subscriptions()
        #expect(subscriptions.map { "\($0.name)<\($0.topic)" } == ["model-quality<model-quality", "predictions<predictions"])
        #expect(try queue.peek("predictions", limit: 10).count == 3)
    }

    @Test("a registry alias is followed: a move is served, a corrupt version is refused and reported")
    func registry() async throws {
        let fixture = try RegistryFixture()
        let first = try TestModels.model(seed: 1), second = try TestModels.model(seed: 2)
        try fixture.publish(first)
        let server = try Server(["--root", fixture.root.path, "--bucket", RegistryFixture.bucket, "--model", "sentiment@production",
                                 "--port", "0", "--reload-interval", "50ms"])
        _ = server.listeningLine()
        let port = server.port
        @Sendable func metadata() throws -> JSONValue {
            try json(RawConnection(port: port).exchange(method: "GET", path: "/v2/models/sentiment").body)
        }
        // Listening means the first load was done.
        #expect(try await onThread { try RawConnection(port: port).exchange(method: "GET", path: "/v2/health/ready").status } == 200)
        #expect(try await onThread(metadata)["parameters"]?["model_id"]?.string == first.modelID)

        try fixture.publish(second)
        #expect(try await waitUntil { try await onThread(metadata)["version"]?.string == "2" })
        try fixture.publishCorrupt()
        #expect(try await waitUntil { try await onThread(metadata)["parameters"]?["last_error"]?.string != nil })
        let after = try await onThread(metadata)
        #expect(after["version"]?.string == "2")
        #expect(after["parameters"]?["model_id"]?.string == second.modelID)
        let metrics = try await onThread { try RawConnection(port: port).exchange(method: "GET", path: "/metrics").text }
        let stopped = server.stop(SIGINT)
        #expect(metrics.contains("rehearse_model_reload_failures_total 1\n"), "\(stopped.errors)")
        #expect(stopped.status == 0)
        #expect(stopped.errors.contains("could not load version 3 of sentiment"), "the failure is logged")
    }

    @Test("SIGTERM during a request: the request is answered, then the process exits 0")
    func drainUnderLoad() async throws {
        let model = try TestModels.model(seed: 1)
        let file = try artifactFile(model)
        defer { try? FileManager.default.removeItem(at: file) }
        let server = try Server(["--model-file", file.path, "--port", "0"])
        _ = server.listeningLine()
        let port = server.port
        let body = Array(inferBody((0..<100).map { "text \($0) good monday report" }).utf8)
        let pid = server.process.processIdentifier
        // All on one thread: a test waiting for Swift's pool between these steps could outwait
        // the server's idle timeout when other tests hold that pool.
        let (wasInFlight, response) = try await onThread { () -> (Bool, RawResponse?) in
            let connection = try RawConnection(port: port)
            guard try connection.exchange(method: "GET", path: "/v2/health/live").status == 200 else { throw RawConnection.Failure.timedOut }
            try connection.send("POST /v2/models/sentiment/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.count)\r\n\r\n")
            try connection.send(Array(body[..<50]))
            // The request is in flight (its handler waits for the rest of the body) when SIGTERM arrives.
            let wasInFlight = try pollUntil { try requestsInFlight(port: port) >= 2 }
            kill(pid, SIGTERM)
            try connection.send(Array(body[50...]))
            return (wasInFlight, try connection.readResponse())
        }
        #expect(wasInFlight)
        #expect(response?.status == 200)
        #expect(try json(try #require(response).body)["outputs"]?[0]?["shape"] == [100])
        let stopped = server.stop()
        #expect(stopped.status == 0)
        #expect(stopped.errors.contains("draining"))
    }

    @Test("--help teaches the endpoints, hot reload and the defaults")
    func help() throws {
        let help = try run(["serve", "--help"])
        #expect(help.status == 0)
        for text in ["listening on http://HOST:PORT", "POST /v2/models/NAME[/versions/V]/infer", "--reload-interval", "(default: 1s)",
                     "--max-body", "(default: 1MiB)", "--max-texts", "(default: 1000)", "--max-text-bytes", "(default: 4096)",
                     "--header-timeout", "--idle-timeout", "(default: 60s)", "--drain-timeout", "(default: 10s)", "a poll on the clock"] {
            #expect(help.output.contains(text), "\(text)")
        }
    }

    @Test("usage mistakes exit 2; a missing cloud exits 1 with the reason")
    func mistakes() throws {
        let both = try run(["serve", "--model-file", "m.rmodel", "--root", "/tmp", "--bucket", "b", "--model", "s@p"])
        #expect(both.status == 2)
        #expect(both.errors.contains("give --model-file, or --bucket and --model, not both"))
        for name in ["sent iment", "a/b", "ü", "", "-x", String(repeating: "n", count: 65)] {
            let badName = try run(["serve", "--model-file", "m.rmodel", "--name=\(name)"])
            #expect(badName.status == 2, "\(name)")
            // (An empty --name= is refused by the argument parser itself, as a missing value.)
            #expect(name.isEmpty || badName.errors.contains("--name is 1 to 64 letters, digits"), "\(name): \(badName.errors)")
        }
        let sameTopic = try run(["serve", "--model-file", "m.rmodel", "--root", "/tmp", "--log-topic", "t", "--quality-topic", "t"])
        #expect(sameTopic.status == 2)
        #expect(sameTopic.errors.contains("--log-topic and --quality-topic are both \"t\""), "\(sameTopic.errors)")
        let size = try run(["serve", "--model-file", "m.rmodel", "--max-body", "lots"])
        #expect(size.status == 2)
        let missing = try run(["serve", "--root", "/nonexistent-cloud", "--bucket", "b", "--model", "sentiment@production", "--port", "0"])
        #expect(missing.status == 1)
        #expect(missing.errors.contains("no local cloud at /nonexistent-cloud"))
        let badFile = try run(["serve", "--model-file", "/nonexistent.rmodel", "--port", "0"])
        #expect(badFile.status == 1)
        #expect(badFile.errors.contains("/nonexistent.rmodel"))
    }
}

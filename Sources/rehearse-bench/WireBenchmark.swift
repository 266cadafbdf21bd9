import Crypto
import Determinism
import Foundation
import HTTPClient
import LocalCloud
import Wire

/// `rehearse-bench wire`: `rehearse cloud serve` over loopback, with Signature V4.
///
/// Starts the server (`--rehearse PATH`) on a fresh folder and port 0, and times its start-up:
/// from launching the process to the first answered request. Then, on `connections` keep-alive
/// connections through `SocketLoad`: `count` 1 KiB PUTs to distinct keys, `count` GETs of them
/// (each answer must hold the 1,024 bytes), and `count / 10` SendMessageBatch calls of 10
/// messages. Every request is signed and written out before its phase's clock starts, so
/// signing is not what is measured; every answer must be 200.
/// The last line is `{"puts_per_s", "gets_per_s", "sqs_msgs_per_s", "startup_ms",
/// "server_cpu_us_per_put", "server_cpu_us_per_get"}`.
enum WireBenchmark {
    static let credentials = WireGateway.defaultCredentials

    static func run(rehearsePath: String, count: Int, connections: Int) throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("bench-wire-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let clock = ContinuousClock()
        let launched = clock.now
        let server = Process()
        server.executableURL = URL(fileURLWithPath: rehearsePath)
        server.arguments = ["cloud", "serve", "--root", root.path, "--port", "0"]
        let output = Pipe()
        server.standardOutput = output
        try server.run()
        defer {
            kill(server.processIdentifier, SIGTERM)
            server.waitUntilExit()
        }
        let line = readLine(output.fileHandleForReading)
        guard let port = line.split(separator: ":").last.flatMap({ Int($0) }) else {
            throw BenchFailure("rehearse cloud serve printed \"\(line)\", not its listening line")
        }
        let host = "127.0.0.1:\(port)"
        let load = Load(host: host, port: port, connections: connections, serverID: server.processIdentifier)
        let client = HTTPClient()
        let clockState = try client.send(HTTPRequest(url: "http://\(host)/_rehearsal/clock"))
        let startup = launched.duration(to: clock.now)
        guard clockState.status == 200 else { throw BenchFailure("the first request got \(clockState.status)") }
        print("rehearse cloud serve answered its first request \(milliseconds(startup)) ms after launch")

        let s3 = SigV4Signer(credentials: credentials, region: "us-east-1", service: "s3")
        let sqs = SigV4Signer(credentials: credentials, region: "us-east-1", service: "sqs")
        try load.expectOK([signed(s3, host: host, method: "PUT", path: "/bench", body: [])])
        let payload = [UInt8]((0..<1024).map { UInt8($0 % 251) })
        let puts = (0..<count).map { signed(s3, host: host, method: "PUT", path: "/bench/objects/\($0)", body: payload) }
        let (putsPerSecond, putCPU) = try load.rate(count, of: puts, "1 KiB PUTs")
        let gets = (0..<count).map { signed(s3, host: host, method: "GET", path: "/bench/objects/\($0)", body: []) }
        let (getsPerSecond, getCPU) = try load.rate(count, of: gets, "GETs of those objects", bodyBytes: payload.count)

        try load.expectOK([sqsRequest(sqs, host: host, "CreateQueue", #"{"QueueName":"bench"}"#)])
        let batches = (0..<max(1, count / 10)).map { batch in
            let entries = (0..<10).map { #"{"Id":"m\#($0)","MessageBody":"message \#(batch * 10 + $0)"}"# }.joined(separator: ",")
            return sqsRequest(sqs, host: host, "SendMessageBatch",
                              #"{"QueueUrl":"http://\#(host)/000000000000/bench","Entries":[\#(entries)]}"#)
        }
        let (messagesPerSecond, _) = try load.rate(batches.count * 10, of: batches, "SQS messages sent in batches of 10")
        print(#"{"puts_per_s": \#(Int(putsPerSecond)), "gets_per_s": \#(Int(getsPerSecond)), "sqs_msgs_per_s": \#(Int(messagesPerSecond)), "#
            + #""startup_ms": \#(milliseconds(startup)), "server_cpu_us_per_put": \#(Int(putCPU)), "server_cpu_us_per_get": \#(Int(getCPU))}"#)
    }

    /// The timed phases' load: `connections` connections to the server at `host`, process `serverID`.
    private struct Load {
        let host: String
        let port: Int
        let connections: Int
        let serverID: Int32

        /// Sends `requests`, checks every answer, and prints and returns `items` per second and
        /// the server's CPU time (user and system, all threads) per request in microseconds,
        /// which moves less than the rate when a virtual machine's neighbours take its CPUs.
        func rate(_ items: Int, of requests: [HTTPRequest], _ what: String, bodyBytes: Int? = nil) throws -> (Double, Double) {
            let written = requests.map { SocketLoad.bytes(of: $0, host: host) }
            let clock = ContinuousClock()
            let cpuBefore = try ProcessCPU.seconds(of: serverID)
            let start = clock.now
            try expectOK(written, bodyBytes: bodyBytes)
            let seconds = start.duration(to: clock.now).seconds
            let cpuPerRequest = (try ProcessCPU.seconds(of: serverID) - cpuBefore) / Double(requests.count) * 1e6
            let perSecond = Double(items) / seconds
            print("\(items) \(what) on \(connections) connections in \(String(format: "%.2f", seconds)) s: \(Int(perSecond))/s "
                + "(server CPU \(Int(cpuPerRequest)) µs per request)")
            return (perSecond, cpuPerRequest)
        }

        func expectOK(_ requests: [HTTPRequest]) throws {
            try expectOK(requests.map { SocketLoad.bytes(of: $0, host: host) }, bodyBytes: nil)
        }

        /// Every answer must be 200 (and have `bodyBytes` of body, when given).
        private func expectOK(_ written: [[UInt8]], bodyBytes: Int?) throws {
            for answer in try SocketLoad.run(written, port: port, connections: connections) {
                guard answer.status == 200 else { throw BenchFailure("a request got \(answer.status): \(answer.errorText ?? "")") }
                if let bodyBytes, answer.bodyBytes != bodyBytes {
                    throw BenchFailure("an answer had \(answer.bodyBytes) bytes of body, not \(bodyBytes)")
                }
            }
        }
    }

    private static func signed(_ signer: SigV4Signer, host: String, method: String, path: String, body: [UInt8]) -> HTTPRequest {
        let headers = signer.sign(method: method, host: host, rawPath: path, rawQuery: "", headers: [],
                                  payloadSHA256: Hex.string(SHA256.hash(data: body)), at: SystemClock().now)
        return HTTPRequest(method: method, url: "http://\(host)\(path)", headers: headers.filter { $0.name != "Host" }, body: body)
    }

    private static func sqsRequest(_ signer: SigV4Signer, host: String, _ operation: String, _ json: String) -> HTTPRequest {
        let body = Array(json.utf8)
        let own = [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "AmazonSQS." + operation)]
        let headers = signer.sign(method: "POST", host: host, rawPath: "/", rawQuery: "", headers: own,
                                  payloadSHA256: Hex.string(SHA256.hash(data: body)), at: SystemClock().now)
        return HTTPRequest(method: "POST", url: "http://\(host)/", headers: own + headers.filter { $0.name != "Host" }, body: body)
    }

    private static func readLine(_ handle: FileHandle) -> String {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(handle.fileDescriptor, &byte, 1) == 1, byte != UInt8(ascii: "\n") { line.append(byte) }
        return String(decoding: line, as: UTF8.self)
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}

/// A benchmark that could not measure what it set out to.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

import Foundation
import HTTPClient

/// `rehearse-bench online-load`: `bench/online`'s own load driver over libcurl, for machines
/// without wrk.
///
/// POSTs the JSON bodies of a file (one per line, in turn) to one URL on `connections`
/// concurrent keep-alive connections for about `seconds`, through the project's `LoadDriver`.
/// The driver sends a fixed list of requests, so a short probe round (20 requests a connection)
/// measures the rate, and the next round is sized to fill the time left at that rate (another
/// follows if time is still left). Each round opens its connections anew (a latency includes
/// connecting for the first request on a connection) and its tail, while the last requests
/// finish, runs below full concurrency; the reported time is the real one. Reports requests
/// per second (every response counts, whatever its status), the 50th and 99th percentile
/// latency of those responses (nearest rank), responses that were not 2xx, and requests that
/// got no response.
enum OnlineLoad {
    static func run(url: String, bodiesPath: String, connections: Int, seconds: Double) throws {
        let bodies = try readBodies(bodiesPath)
        let clock = ContinuousClock()
        let start = clock.now
        var latencies: [Duration] = []
        var statusErrors = 0
        var socketErrors = 0
        var firstProblem: String?
        var sent = 0
        var roundSize = connections * 20
        var elapsed = Duration.zero
        repeat {
            let requests = (0..<roundSize).map { offset in
                HTTPRequest(
                    method: "POST", url: url, headers: [(name: "Content-Type", value: "application/json")],
                    body: bodies[(sent + offset) % bodies.count], timeout: .seconds(10))
            }
            sent += roundSize
            for outcome in try LoadDriver.run(requests, connections: connections, totalTimeout: .seconds(seconds + 30)) {
                switch outcome.result {
                case .success(let response):
                    latencies.append(response.elapsed)
                    if !(200..<300).contains(response.status) {
                        statusErrors += 1
                        if firstProblem == nil { firstProblem = "status \(response.status): \(response.text.prefix(200))" }
                    }
                case .failure(let error):
                    socketErrors += 1
                    if firstProblem == nil { firstProblem = "\(error)" }
                }
            }
            elapsed = clock.now - start
            let rate = Double(sent) / elapsed.seconds
            let remaining = seconds - elapsed.seconds
            roundSize = max(connections, min(Int(rate * remaining), 10_000_000))
        } while elapsed.seconds < seconds

        latencies.sort()
        let rate = Double(latencies.count) / elapsed.seconds
        let p50 = milliseconds(percentile(50, of: latencies))
        let p99 = milliseconds(percentile(99, of: latencies))
        print("libcurl driver: \(latencies.count) responses in \(String(format: "%.2f", elapsed.seconds)) s on \(connections) connections: \(Int(rate)) requests/s, p50 \(p50) ms, p99 \(p99) ms")
        print("not 2xx: \(statusErrors); no response: \(socketErrors)\(firstProblem.map { "; first problem: \($0)" } ?? "")")
        print("{\"requests\": \(latencies.count), \"seconds\": \(String(format: "%.3f", elapsed.seconds)), \"requests_per_s\": \(Int(rate)), \"p50_ms\": \(p50), \"p99_ms\": \(p99), \"status_errors\": \(statusErrors), \"socket_errors\": \(socketErrors)}")
    }

    /// The non-empty lines of the file, as bytes.
    private static func readBodies(_ path: String) throws -> [[UInt8]] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BenchUsageError("--bodies: cannot read \(path)")
        }
        let bodies = data.split(separator: UInt8(ascii: "\n")).map { [UInt8]($0) }
        guard !bodies.isEmpty else { throw BenchUsageError("--bodies: \(path) has no bodies (one JSON body a line)") }
        return bodies
    }

    /// The nearest-rank `p`th percentile of sorted durations; zero when there are none.
    private static func percentile(_ p: Double, of sorted: [Duration]) -> Duration {
        guard !sorted.isEmpty else { return .zero }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    private static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.3f", duration.seconds * 1000)
    }
}

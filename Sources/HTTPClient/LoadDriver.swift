import CCurl

/// Sends many requests over a fixed number of concurrent keep-alive connections: the engine of
/// load tests.
///
/// `connections` easy handles run at once on one libcurl multi handle, limited to that many
/// open connections; each handle takes the next unsent request as soon as its previous one
/// finishes, so connections stay busy and are reused. Everything runs on the calling thread.
public enum LoadDriver {
    /// One request's outcome in a load run.
    public struct Outcome: Sendable {
        /// The response (with its own latency in `elapsed`), or the error the request met.
        public let result: Result<HTTPResponse, HTTPClientError>
        /// The lane (0 ..< connections) that sent it: each lane sends its requests one after
        /// another, so within a lane a later request started after an earlier one was answered.
        public let lane: Int
    }

    /// Sends every request and returns one outcome per request, in request order: the response
    /// (with its own latency in `elapsed`, measured on a monotonic clock from the moment the
    /// request is handed to libcurl), or the error that request met, and the lane that sent it.
    ///
    /// - Parameters:
    ///   - connections: how many requests are in flight at once, each on its own connection.
    ///   - totalTimeout: the most the whole run may take; requests not finished by then fail with
    ///     `HTTPClientError.timedOut` naming this timeout. Each request's own `timeout` applies too.
    ///   - onResponse: called on the calling thread with the request's index as each response
    ///     arrives (in completion order), while other requests are still in flight.
    /// - Throws: `HTTPClientError.loadFailed` when the run cannot be carried out at all
    ///   (`connections` below 1, `totalTimeout` not positive, libcurl failing).
    public static func run(
        _ requests: [HTTPRequest], connections: Int, totalTimeout: Duration = .seconds(300),
        onResponse: ((Int, HTTPResponse) -> Void)? = nil
    ) throws(HTTPClientError) -> [Outcome] {
        guard connections >= 1 else { throw .loadFailed(problem: "connections must be at least 1, got \(connections)") }
        guard totalTimeout > .zero else { throw .loadFailed(problem: "the total timeout must be positive, got \(totalTimeout)") }
        guard let first = requests.first else { return [] }

        var results = [Result<HTTPResponse, HTTPClientError>?](repeating: nil, count: requests.count)
        var lanes = [Int](repeating: 0, count: requests.count)
        var laneOf: [ObjectIdentifier: Int] = [:]
        let multi = try MultiHandle(connections: connections)
        let clock = ContinuousClock()
        let deadline = clock.now + totalTimeout
        var started: [ObjectIdentifier: (index: Int, at: ContinuousClock.Instant)] = [:]
        var next = 0

        /// Gives `easy` the next request it can send; a request that cannot be sent gets its
        /// error at once. False when no request is left.
        func startNext(on easy: EasyHandle) throws(HTTPClientError) -> Bool {
            while next < requests.count {
                let index = next
                next += 1
                do {
                    try easy.prepare(requests[index])
                } catch {
                    results[index] = .failure(error)
                    continue
                }
                started[ObjectIdentifier(easy)] = (index, clock.now)
                lanes[index] = laneOf[ObjectIdentifier(easy)] ?? 0
                try multi.add(easy)
                return true
            }
            return false
        }

        var handles: [EasyHandle] = []  // kept alive for the whole run: `laneOf` is keyed by their identity
        for lane in 0..<min(connections, requests.count) {
            let easy = try EasyHandle(for: first.url)
            handles.append(easy)
            laneOf[ObjectIdentifier(easy)] = lane
            guard try startNext(on: easy) else { break }
        }
        while !started.isEmpty {
            try multi.perform()
            while let (easy, code) = multi.nextFinished() {
                guard let (index, at) = started.removeValue(forKey: ObjectIdentifier(easy)) else { continue }
                multi.remove(easy)
                if code == CURLE_OK {
                    let response = easy.response(elapsed: clock.now - at)
                    results[index] = .success(response)
                    onResponse?(index, response)
                } else {
                    results[index] = .failure(easy.error(code))
                }
                _ = try startNext(on: easy)
            }
            let remaining = deadline - clock.now
            guard !started.isEmpty, remaining > .zero else { break }
            try multi.poll(timeout: min(remaining, .seconds(1)))
        }
        withExtendedLifetime(handles) {}
        return results.enumerated().map { index, result in
            Outcome(result: result ?? .failure(.timedOut(
                url: requests[index].url, after: totalTimeout,
                message: "the load run's total timeout passed before this request finished"
            )), lane: lanes[index])
        }
    }
}

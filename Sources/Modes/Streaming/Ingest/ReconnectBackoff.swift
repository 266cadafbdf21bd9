import Determinism

/// How long the ingest connector waits before reconnecting, following Twitter's guidance for
/// its streaming endpoints, with seeded jitter:
///
/// - a network error or a drop: linear, 250 ms more each time, up to 16 s;
/// - an HTTP error: exponential from 5 s, doubling, up to 320 s;
/// - HTTP 429 (too many connections or requests): exponential from 1 min, doubling.
///
/// A connection that delivered data resets the count. The wait actually taken is drawn
/// uniformly from [½·d, d] (seeded), so many clients reconnecting together spread out.
public struct ReconnectBackoff: Sendable {
    /// What went wrong before the wait.
    public enum Failure: Sendable, Equatable {
        /// A network error or a dropped connection.
        case network
        /// An HTTP error other than 429.
        case http
        /// HTTP 429.
        case rateLimited
    }

    private var failures = 0
    private var lastFailure: Failure?
    private var random: SplitMix64

    /// A backoff whose jitter is drawn from `seed`.
    public init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    /// The base delay (before jitter) after the `count`-th consecutive failure of a kind.
    public static func baseDelay(after failure: Failure, count: Int) -> Duration {
        let step = max(count, 1)
        switch failure {
        case .network: return .milliseconds(min(250 * step, 16_000))
        case .http: return .seconds(5 << min(step - 1, 6))
        case .rateLimited: return .seconds(60 << min(step - 1, 10))
        }
    }

    /// The wait before the next attempt after `failure`.
    public mutating func delay(after failure: Failure) -> Duration {
        failures = failure == lastFailure ? failures + 1 : 1
        lastFailure = failure
        let base = Self.baseDelay(after: failure, count: failures)
        let nanoseconds = base.components.seconds * 1_000_000_000 + base.components.attoseconds / 1_000_000_000
        let half = nanoseconds / 2
        let jitter = Int64(random.next() % UInt64(half + 1))
        return .nanoseconds(half + jitter)
    }

    /// Forgets past failures (a connection delivered data).
    public mutating func reset() {
        failures = 0
        lastFailure = nil
    }
}

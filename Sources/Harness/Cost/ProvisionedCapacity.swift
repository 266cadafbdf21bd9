import LocalCloud
import Synchronization

/// The always-on capacity a rehearsal keeps up — started online services, streaming workers —
/// as vCPUs held over the sandbox's virtual time.
///
/// A cloud bills such capacity for the time it is up, busy or idle: a service serving for two
/// days costs two days of its vCPU, however few requests it answered. Each resource holds one
/// vCPU per unit (a `rehearse serve` process, a streaming worker) from the instant it starts to
/// the instant it stops, or to the time asked about. Held time is summed exactly (`Duration`),
/// so the figure depends only on the scenario, never on the order resources are visited.
public final class ProvisionedCapacity: Sendable {
    private struct Holding {
        var vcpus = 0
        var since = Instant(secondsSinceEpoch: 0)
        /// vCPU × time held before `since`.
        var held = Duration.zero

        func total(at now: Instant) -> Duration { held + since.duration(to: now) * vcpus }
    }

    private let holdings = Mutex<[String: Holding]>([:])

    /// Nothing held yet.
    public init() {}

    /// From `instant` on, `resource` holds `vcpus` vCPUs (0 when it stops).
    public func hold(_ resource: String, vcpus: Int, from instant: Instant) {
        holdings.withLock { holdings in
            var holding = holdings[resource] ?? Holding()
            holding.held = holding.total(at: instant)
            holding.vcpus = vcpus
            holding.since = instant
            holdings[resource] = holding
        }
    }

    /// The vCPU-seconds every resource has held up to `now`.
    public func vcpuSeconds(at now: Instant) -> Double {
        let total = holdings.withLock { holdings in holdings.values.reduce(Duration.zero) { $0 + $1.total(at: now) } }
        return total.seconds
    }
}

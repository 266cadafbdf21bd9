import Foundation

/// A source of the current time. Every time LocalCloud records or compares comes from one.
///
/// `SystemClock` follows the wall clock; `VirtualClock` moves only when told to, which is what
/// makes scenario runs deterministic and lets a year of schedules rehearse in a second.
public protocol CloudClock: Sendable {
    /// The current instant.
    var now: Instant { get }

    /// Suspends until the clock has reached `deadline` (returns at once if it already has).
    func sleep(until deadline: Instant) async throws
}

/// The wall clock. The only place in LocalCloud that reads the real time.
public struct SystemClock: CloudClock {
    public init() {}

    public var now: Instant {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Instant(nanosecondsSinceEpoch: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }

    public func sleep(until deadline: Instant) async throws {
        let remaining = now.duration(to: deadline)
        if remaining > .zero { try await Task.sleep(for: remaining) }
    }
}

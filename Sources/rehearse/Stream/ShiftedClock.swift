import LocalCloud

/// The system clock moved by a fixed offset: real time passes, but `now` reads as stream time
/// that began at a chosen instant (`rehearse stream-source --start`).
struct ShiftedClock: CloudClock {
    let base: SystemClock
    let offset: Duration

    /// A clock that reads `start` now and then runs with the system clock.
    init(start: Instant) {
        base = SystemClock()
        offset = base.now.duration(to: start)
    }

    var now: Instant { base.now.advanced(by: offset) }

    func sleep(until deadline: Instant) async throws {
        try await base.sleep(until: deadline.advanced(by: .zero - offset))
    }
}

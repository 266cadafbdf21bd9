import Foundation
import JSON
import LocalCloud

/// The sandbox's own endpoints under `/_rehearsal/`, as moto has `/moto-api/`; not signed.
///
/// - `GET /_rehearsal/clock`: `{"now": "<ISO-8601>", "virtual": true|false}`.
/// - `POST /_rehearsal/clock` with `{"advance_seconds": N}` or `{"to": "<ISO-8601>"}`: moves a
///   virtual clock forward, firing due schedules on the way; answers the new time and the runs.
/// - `GET /_rehearsal/ledger`: the operation counts so far, by name.
struct AdminEndpoints: Sendable {
    static let prefix = "/_rehearsal/"

    let sandbox: CloudSandbox

    func handle(_ request: WireRequest) -> WireResponse {
        switch (request.method, request.rawPath) {
        case ("GET", "/_rehearsal/clock"): return Self.json(clockState())
        case ("POST", "/_rehearsal/clock"): return advanceClock(request.body)
        case ("GET", "/_rehearsal/ledger"):
            return Self.json(.object(sandbox.ledger.snapshot().dictionary.mapValues { .integer($0) }))
        default:
            return Self.error(404, "no admin endpoint \(request.method) \(request.rawPath); there are GET/POST /_rehearsal/clock "
                                  + "and GET /_rehearsal/ledger")
        }
    }

    private func clockState() -> JSONValue {
        ["now": .string(sandbox.clock.now.iso8601), "virtual": .bool(sandbox.clock is VirtualClock)]
    }

    private func advanceClock(_ body: Data) -> WireResponse {
        guard sandbox.clock is VirtualClock else {
            return Self.error(409, "the clock follows the wall clock; start `rehearse cloud serve` with --start to get a virtual clock")
        }
        guard case .object(let members)? = try? JSONParser.parse(String(decoding: body, as: UTF8.self)) else {
            return Self.error(400, "expected a JSON object: {\"advance_seconds\": N} or {\"to\": \"2026-01-01T06:00:00Z\"}")
        }
        let target: Instant
        switch (members["advance_seconds"], members["to"]) {
        case (.number(let seconds)?, nil) where seconds >= 0 && seconds <= 1e12:
            target = sandbox.clock.now.advanced(by: .nanoseconds(Int64(seconds * 1e9)))
        case (nil, .string(let text)?):
            guard let instant = Instant(iso8601: text) else { return Self.error(400, "\"to\": expected an ISO-8601 time, got \(text)") }
            guard instant >= sandbox.clock.now else {
                return Self.error(400, "\"to\": \(text) is before the clock's time \(sandbox.clock.now.iso8601); time only moves forward")
            }
            target = instant
        default:
            return Self.error(400, "expected exactly one of \"advance_seconds\" (a number ≥ 0) or \"to\" (an ISO-8601 time)")
        }
        do {
            let runs = try sandbox.scheduler.advance(to: target)
            (sandbox.clock as? VirtualClock)?.advance(to: target)
            var state = clockState()
            if case .object(var members) = state {
                members["fired"] = .array(runs.map { ["job": .string($0.job), "at": .string($0.scheduledAt.iso8601)] })
                state = .object(members)
            }
            return Self.json(state)
        } catch {
            return Self.error(500, "moving the clock failed: \(error)")
        }
    }

    static func json(_ value: JSONValue, status: Int = 200) -> WireResponse {
        WireResponse(status: status, headers: [("Content-Type", "application/json")], body: Data((value.canonicalText + "\n").utf8))
    }

    static func error(_ status: Int, _ message: String) -> WireResponse { json(["error": .string(message)], status: status) }
}

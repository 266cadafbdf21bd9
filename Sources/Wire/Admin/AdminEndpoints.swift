import Foundation
import JSON
import LocalCloud

/// The sandbox's own endpoints under `/_rehearsal/`, as moto has `/moto-api/`; not signed.
///
/// - `GET /_rehearsal/clock`: `{"now": "<ISO-8601>", "virtual": true|false}`.
/// - `POST /_rehearsal/clock` with `{"advance_seconds": N}` or `{"to": "<ISO-8601>"}`: moves a
///   virtual clock forward, firing due schedules on the way; answers the new time and the runs.
/// - `GET /_rehearsal/faults`: the fault plan in force and the faults injected so far.
/// - `POST /_rehearsal/faults` with `{"seed": N, "rates": {"object_store_error": 0.1, …}}`:
///   puts a new seeded plan in force (`seed` defaults to the current one; kinds left out never
///   fire, so `{"rates": {}}` switches faults off).
/// - `GET /_rehearsal/ledger`: the operation counts so far, by name.
struct AdminEndpoints: Sendable {
    static let prefix = "/_rehearsal/"

    let sandbox: CloudSandbox
    /// Whether `POST /_rehearsal/clock` may move the clock: not while a scenario's transcript
    /// owns it.
    let clockControl: Bool

    func handle(_ request: WireRequest) -> WireResponse {
        switch (request.method, request.rawPath) {
        case ("GET", "/_rehearsal/clock"): return Self.json(clockState())
        case ("POST", "/_rehearsal/clock"): return advanceClock(request.body)
        case ("GET", "/_rehearsal/faults"): return Self.json(faultState())
        case ("POST", "/_rehearsal/faults"): return replaceFaults(request.body)
        case ("GET", "/_rehearsal/ledger"):
            return Self.json(.object(sandbox.ledger.snapshot().dictionary.mapValues { .integer($0) }))
        default:
            if let allowed = Self.methods[request.rawPath] {
                var response = Self.error(405, "\(request.rawPath) takes \(allowed.joined(separator: " or ")), not \(request.method)")
                response.headers.append(("Allow", allowed.joined(separator: ", ")))
                return response
            }
            return Self.error(404, "no admin endpoint \(request.method) \(request.rawPath); there are GET/POST /_rehearsal/clock, "
                                  + "GET/POST /_rehearsal/faults and GET /_rehearsal/ledger")
        }
    }

    /// The methods each admin endpoint takes.
    private static let methods = [
        "/_rehearsal/clock": ["GET", "POST"], "/_rehearsal/faults": ["GET", "POST"], "/_rehearsal/ledger": ["GET"],
    ]

    private func faultState() -> JSONValue {
        let plan = sandbox.faults
        let rates = Dictionary(uniqueKeysWithValues: plan.rates.map { ($0.key.rawValue, JSONValue.number($0.value)) })
        let injected = Dictionary(uniqueKeysWithValues: plan.injectedCounts.map { ($0.key.rawValue, JSONValue.integer($0.value)) })
        return ["seed": .integer(plan.seed), "rates": .object(rates), "injected": .object(injected)]
    }

    private func replaceFaults(_ body: Data) -> WireResponse {
        let kinds = FaultKind.allCases.map(\.rawValue).joined(separator: ", ")
        guard case .object(let members)? = try? JSONParser.parse(String(decoding: body, as: UTF8.self)) else {
            return Self.error(400, "expected a JSON object: {\"seed\": N, \"rates\": {\"object_store_error\": 0.1}}")
        }
        if let unknown = members.keys.sorted().first(where: { !["seed", "rates"].contains($0) }) {
            return Self.error(400, "unknown field \"\(unknown)\"; expected \"seed\" and \"rates\"")
        }
        var seed = sandbox.faults.seed
        switch members["seed"] {
        case nil: break
        case .number(let number)? where number >= 0 && number < 0x1p64 && number == number.rounded(.down):
            seed = UInt64(number)
        case .bigInteger(let digits)? where UInt64(digits) != nil:
            seed = UInt64(digits)!
        default:
            return Self.error(400, "\"seed\": expected a whole number from 0 to 2^64-1")
        }
        guard case .object(let given)? = members["rates"] else {
            return Self.error(400, "\"rates\": expected an object of fault kinds to probabilities; the kinds are \(kinds)")
        }
        var rates: [FaultKind: Double] = [:]
        for name in given.keys.sorted() {
            guard let kind = FaultKind(rawValue: name) else {
                return Self.error(400, "\"rates\": unknown fault kind \"\(name)\"; the kinds are \(kinds)")
            }
            guard case .number(let rate)? = given[name], (0...1).contains(rate) else {
                return Self.error(400, "\"rates\".\(name): expected a probability from 0 to 1")
            }
            rates[kind] = rate
        }
        sandbox.faults.replace(seed: seed, rates: rates)
        return Self.json(faultState())
    }

    private func clockState() -> JSONValue {
        ["now": .string(sandbox.clock.now.iso8601), "virtual": .bool(sandbox.clock is VirtualClock)]
    }

    private func advanceClock(_ body: Data) -> WireResponse {
        guard clockControl else {
            return Self.error(409, "the scenario's transcript moves the clock (its advance steps); a command it runs can read the clock but not move it")
        }
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

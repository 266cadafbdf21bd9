import Foundation
import JSON
import LocalCloud
import Testing
import Wire

/// The sandbox's own endpoints under `/_rehearsal/`: the seeded fault plan and the clock.
@Suite("Admin endpoints")
struct AdminEndpointsTests {
    @Test("POST /_rehearsal/faults puts a seeded plan in force: S3 calls fail with 503 SlowDown until it is switched off")
    func faultsOnAndOff() async throws {
        let cloud = try WireFixture()
        #expect(await cloud.s3("PUT", "/data").status == 200)
        let initial = await cloud.admin("GET", "/_rehearsal/faults")
        #expect(initial.status == 200 && initial.json == ["seed": 0, "rates": [:], "injected": [:]])

        let set = await cloud.admin("POST", "/_rehearsal/faults", #"{"seed": 7, "rates": {"object_store_error": 1}}"#)
        #expect(set.status == 200 && set.json["seed"] == 7 && set.json["rates"] == ["object_store_error": 1])
        let failed = await cloud.s3("PUT", "/data/a.txt", body: Data("a".utf8))
        #expect(failed.status == 503 && failed.s3ErrorCode == "SlowDown")
        #expect(await cloud.admin("GET", "/_rehearsal/faults").json["injected"] == ["object_store_error": 1])

        #expect(await cloud.admin("POST", "/_rehearsal/faults", #"{"rates": {}}"#).json["seed"] == 7)
        #expect(await cloud.s3("PUT", "/data/a.txt", body: Data("a".utf8)).status == 200)
        #expect(try cloud.sandbox.objects.get(bucket: "data", key: "a.txt").data == Data("a".utf8))
    }

    @Test("a known endpoint asked with another method is 405 with Allow; an unknown one is 404 listing the endpoints")
    func methods() async throws {
        let cloud = try WireFixture()
        let deleted = await cloud.gateway.handle(WireRequest(method: "DELETE", target: "/_rehearsal/clock", headers: [("Host", WireFixture.host)]))
        #expect(deleted.status == 405 && deleted.headers.contains { $0.name == "Allow" && $0.value == "GET, POST" })
        #expect(String(decoding: deleted.body, as: UTF8.self) == #"{"error":"/_rehearsal/clock takes GET or POST, not DELETE"}"# + "\n")
        #expect(await cloud.admin("POST", "/_rehearsal/ledger").status == 405)
        let unknown = await cloud.admin("GET", "/_rehearsal/nope")
        #expect(unknown.status == 404 && unknown.json["error"]?.string?.contains("GET/POST /_rehearsal/clock") == true)
    }

    @Test("the same seed and rate give the same faults each time the plan is put in force")
    func seededPlanRepeats() async throws {
        let cloud = try WireFixture()
        #expect(await cloud.s3("PUT", "/data").status == 200)
        func outcomes() async -> [Int] {
            _ = await cloud.admin("POST", "/_rehearsal/faults", #"{"seed": 42, "rates": {"object_store_error": 0.5}}"#)
            var statuses: [Int] = []
            for _ in 0..<24 { statuses.append(await cloud.s3("PUT", "/data/k", body: Data("x".utf8)).status) }
            return statuses
        }
        let first = await outcomes()
        #expect(Set(first) == [200, 503], "a rate of 0.5 over 24 calls should both fail and pass: \(first)")
        #expect(await outcomes() == first)
    }

    @Test("a bad fault plan is refused with 400 naming the field, and the plan in force stays")
    func badPlans() async throws {
        let cloud = try WireFixture()
        _ = await cloud.admin("POST", "/_rehearsal/faults", #"{"seed": 3, "rates": {"lost_ack": 0.25}}"#)
        let cases: [(body: String, mentions: String)] = [
            (#"{"rates": {"disk_full": 0.5}}"#, "unknown fault kind \"disk_full\""),
            (#"{"rates": {"lost_ack": 1.5}}"#, "\"rates\".lost_ack: expected a probability"),
            (#"{"seed": -1, "rates": {}}"#, "\"seed\""),
            (#"{"rate": {}}"#, "unknown field \"rate\""),
            (#"{"seed": 1}"#, "\"rates\""),
            ("not json", "expected a JSON object"),
        ]
        for (body, mentions) in cases {
            let answer = await cloud.admin("POST", "/_rehearsal/faults", body)
            #expect(answer.status == 400, "\(body)")
            #expect(answer.json["error"]?.string?.contains(mentions) == true, "\(body): \(answer.json)")
        }
        #expect(await cloud.admin("GET", "/_rehearsal/faults").json["rates"] == ["lost_ack": 0.25])
        #expect(cloud.sandbox.faults.seed == 3)
    }

    @Test("when a scenario owns the clock, POST /_rehearsal/clock is refused and the clock stays; GET still reads it")
    func clockOwnedByTranscript() async throws {
        let cloud = try WireFixture(clientsMoveClock: false)
        let refused = await cloud.admin("POST", "/_rehearsal/clock", #"{"advance_seconds": 60}"#)
        #expect(refused.status == 409)
        #expect(cloud.clock.now == Instant(iso8601: "2026-03-02T09:00:00Z"))
        #expect(await cloud.admin("GET", "/_rehearsal/clock").json["now"] == "2026-03-02T09:00:00Z")
    }
}

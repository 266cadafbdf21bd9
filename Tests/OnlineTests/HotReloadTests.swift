import Foundation
import Hummingbird
import HummingbirdTesting
import JSON
import LocalCloud
import ModelCore
import Modes
import Online
import Testing
import TestSupport

/// Models from the registry: readiness, hot reload by polling the alias on the clock, refusing
/// bad artifacts, other versions on their own paths.
@Suite("Registry models and hot reload")
struct HotReloadTests {
    static let jsonHeaders: HTTPFields = [.contentType: "application/json"]

    private func metadata(_ client: some TestClientProtocol) async throws -> JSONValue {
        try json(try await client.execute(uri: "/v2/models/sentiment", method: .get).body.readableBytesView)
    }

    private func inferModelID(_ client: some TestClientProtocol, uri: String = "/v2/models/sentiment/infer") async throws -> String? {
        let response = try await client.execute(uri: uri, method: .post, headers: Self.jsonHeaders, body: ByteBuffer(string: inferBody(["good day"])))
        return try json(response.body.readableBytesView)["parameters"]?["model_id"]?.string
    }

    @Test("not ready until a model is loaded: ready and infer answer 503, live 200")
    func notReady() async throws {
        let fixture = try RegistryFixture()
        let service = OnlineService(configuration: fixture.configuration(), store: fixture.store, clock: fixture.clock, logger: quietLogger)
        try await service.application().test(.router) { client in
            let reason = #"could not load sentiment@production from bucket \"models\": no model \"sentiment\" is registered in bucket \"models\" (nothing under models/sentiment/)"#
            let ready = try await client.execute(uri: "/v2/health/ready", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(String(buffer: ready.body) == "{\"error\":\"model sentiment is not loaded yet: \(reason)\"}")
            let infer = try await client.execute(uri: "/v2/models/sentiment/infer", method: .post, headers: Self.jsonHeaders, body: ByteBuffer(string: inferBody(["x"])))
            #expect(infer.status == .serviceUnavailable)
            #expect(try await client.execute(uri: "/v2/health/live", method: .get).status == .ok)
            #expect(!service.isReady)

            let model = try TestModels.model(seed: 1)
            try fixture.publish(model)
            await fixture.clock.waitForWaiters(count: 1)
            fixture.clock.advance(by: .seconds(1))
            await fixture.clock.waitForWaiters(count: 1)
            #expect(try await client.execute(uri: "/v2/health/ready", method: .get).status == .ok)
            #expect(try await inferModelID(client) == model.modelID)
            #expect(service.isReady)
        }
    }

    @Test("an alias pointing at a version not registered says so; one written with a newline (echo 1 > alias) is read")
    func aliasTargets() async throws {
        let fixture = try RegistryFixture()
        try fixture.publish(try TestModels.model(seed: 1))
        let alias = ModelRegistry.aliasKey("sentiment", "production")
        try fixture.store.put(Data("999".utf8), bucket: RegistryFixture.bucket, key: alias)
        let service = OnlineService(configuration: fixture.configuration(), store: fixture.store, clock: fixture.clock, logger: quietLogger)
        try await service.application().test(.router) { client in
            let ready = try await client.execute(uri: "/v2/health/ready", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(String(buffer: ready.body).contains(#"alias \"production\" of model \"sentiment\" points at version 999, which is not registered"#),
                    "\(String(buffer: ready.body))")
            try fixture.store.put(Data("1\n".utf8), bucket: RegistryFixture.bucket, key: alias)
            await fixture.clock.waitForWaiters(count: 1)
            fixture.clock.advance(by: .seconds(1))
            await fixture.clock.waitForWaiters(count: 1)
            #expect(try await client.execute(uri: "/v2/health/ready", method: .get).status == .ok)
        }
    }

    @Test("the alias is polled on the clock: a move is served after the next poll, a bad artifact never replaces a good one")
    func followsTheAlias() async throws {
        let fixture = try RegistryFixture()
        let first = try TestModels.model(seed: 1), second = try TestModels.model(seed: 2), third = try TestModels.model(seed: 3)
        try fixture.publish(first)
        let service = OnlineService(configuration: fixture.configuration(), store: fixture.store, clock: fixture.clock, logger: quietLogger)
        try await service.application().test(.router) { client in
            // Loaded before the server started; the poller now sleeps until the next poll.
            #expect(try await metadata(client)["version"]?.string == "1")
            await fixture.clock.waitForWaiters(count: 1)

            try fixture.publish(second)
            #expect(try await inferModelID(client) == first.modelID, "no poll yet: still version 1")
            fixture.clock.advance(by: .seconds(1))
            await fixture.clock.waitForWaiters(count: 1)
            var metadata = try await metadata(client)
            #expect(metadata["version"]?.string == "2")
            #expect(metadata["versions"] == ["1", "2"])
            #expect(metadata["parameters"]?["reloads"] == 1)
            #expect(metadata["parameters"]?["last_error"] == .null)
            #expect(try await inferModelID(client) == second.modelID)

            let corrupt = try fixture.publishCorrupt()
            fixture.clock.advance(by: .seconds(1))
            await fixture.clock.waitForWaiters(count: 1)
            metadata = try await self.metadata(client)
            #expect(metadata["version"]?.string == "2")
            let lastError = try #require(metadata["parameters"]?["last_error"]?.string)
            #expect(lastError.hasPrefix("could not load version \(corrupt) of sentiment from bucket \"models\": model artifact models/sentiment/3/model.rmodel"))
            #expect(try await inferModelID(client) == second.modelID)
            // The same bad artifact is not tried (nor counted) again.
            fixture.clock.advance(by: .seconds(1))
            await fixture.clock.waitForWaiters(count: 1)
            var metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("rehearse_model_reload_failures_total 1\n"))
            #expect(metrics.contains("rehearse_model_reloads_total 1\n"))

            try fixture.publish(third)
            fixture.clock.advance(by: .seconds(1))
            await fixture.clock.waitForWaiters(count: 1)
            metadata = try await self.metadata(client)
            #expect(metadata["version"]?.string == "4")
            #expect(metadata["parameters"]?["last_error"] == .null)
            #expect(try await inferModelID(client) == third.modelID)
            metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("rehearse_model_reloads_total 2\n"))
            #expect(metrics.contains("rehearse_model_info{model=\"sentiment\",model_version=\"4\",model_id=\"\(third.modelID)\"} 1.0"))
            #expect(!metrics.contains("model_version=\"2\",model_id"), "only the version served has an info series")
        }
    }

    @Test("a request keeps the model it started with when a new version is swapped in")
    func inFlightKeepsItsModel() throws {
        let fixture = try RegistryFixture()
        let first = try TestModels.model(seed: 1), second = try TestModels.model(seed: 2)
        try fixture.publish(first)
        let host = ModelHost(source: .registry(bucket: RegistryFixture.bucket, model: .init(name: "sentiment", aliasOrVersion: "production")),
                             store: fixture.store, logger: quietLogger)
        #expect(host.refresh() == .loaded(version: 1, replaced: nil))
        let taken = try #require(host.current)
        try fixture.publish(second)
        #expect(host.refresh() == .loaded(version: 2, replaced: 1))
        #expect(host.refresh() == .unchanged)
        var workspace = PredictionWorkspace()
        let result = taken.predict(["hate mondays"], workspace: &workspace)
        #expect(taken.modelID == first.modelID)
        #expect(result.scores == [first.predict("hate mondays").score])
        #expect(host.current?.modelID == second.modelID)
        #expect(host.status.reloads == 1)
    }

    @Test("other registered versions answer on /versions/{v}; unknown ones 404")
    func otherVersions() async throws {
        let fixture = try RegistryFixture()
        let first = try TestModels.model(seed: 1), second = try TestModels.model(seed: 2)
        try fixture.publish(first)
        try fixture.publish(second)
        let service = OnlineService(configuration: fixture.configuration(), store: fixture.store, clock: fixture.clock, logger: quietLogger)
        try await service.application().test(.router) { client in
            #expect(try await inferModelID(client, uri: "/v2/models/sentiment/versions/1/infer") == first.modelID)
            #expect(try await inferModelID(client, uri: "/v2/models/sentiment/versions/2/infer") == second.modelID)
            #expect(try await inferModelID(client) == second.modelID)
            let old = try json(try await client.execute(uri: "/v2/models/sentiment/versions/1", method: .get).body.readableBytesView)
            #expect(old["version"]?.string == "1")
            #expect(old["parameters"]?["model_id"]?.string == first.modelID)
            let missing = try await client.execute(uri: "/v2/models/sentiment/versions/7/infer", method: .post, headers: Self.jsonHeaders,
                                                   body: ByteBuffer(string: inferBody(["x"])))
            #expect(missing.status == .notFound)
            #expect(String(buffer: missing.body) == #"{"error":"model sentiment version 7 not found"}"#)
            for spelling in ["01", "+1"] {
                let other = try await client.execute(uri: "/v2/models/sentiment/versions/\(spelling)", method: .get)
                #expect(other.status == .notFound, "version \(spelling)")
            }
        }
    }

    @Test("many clients during a reload: every request succeeds, and each client's model switches once")
    func clientsDuringReload() async throws {
        let fixture = try RegistryFixture()
        let first = try TestModels.model(seed: 1), second = try TestModels.model(seed: 2)
        try fixture.publish(first)
        let service = OnlineService(configuration: fixture.configuration(), store: fixture.store, clock: fixture.clock, logger: quietLogger)
        try await service.application().test(.live) { client in
            let port = try #require(client.port)
            let answered = SharedCount()
            let clients = 8
            let sequences = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<clients {
                    group.addTask { try await onThread {
                        let connection = try RawConnection(port: port)
                        var ids: [String] = []
                        // Until this client has seen the new model a few times (bounded).
                        while ids.count < 5_000, ids.filter({ $0 == second.modelID }).count < 5 {
                            let response = try connection.exchange(method: "POST", path: "/v2/models/sentiment/infer", body: inferBody(["good day"]))
                            guard response.status == 200, let id = try json(response.body)["parameters"]?["model_id"]?.string else {
                                throw RawConnection.Failure.malformed("status \(response.status): \(response.text)")
                            }
                            ids.append(id)
                            answered.add()
                        }
                        return ids
                    } }
                }
                // Move the alias once the clients are under way.
                await fixture.clock.waitForWaiters(count: 1)
                #expect(try await waitUntil { answered.current >= clients * 10 })
                try fixture.publish(second)
                fixture.clock.advance(by: .seconds(1))
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for ids in sequences {
                let switches = zip(ids, ids.dropFirst()).filter { $0 != $1 }.count
                #expect(switches == 1)
                #expect(ids.first == first.modelID)
                #expect(ids.last == second.modelID)
            }
        }
    }
}

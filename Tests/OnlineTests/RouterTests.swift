import Hummingbird
import HummingbirdTesting
import JSON
import LocalCloud
import ModelCore
import Online
import Testing

/// The endpoints, driven through the router in process and through a live server on
/// 127.0.0.1 (HummingbirdTesting's `.router` and `.live`): the same assertions hold for both.
@Suite("Endpoints")
struct RouterTests {
    static let setups: [TestingSetup] = [.router, .live]
    static let jsonHeaders: HTTPFields = [.contentType: "application/json"]

    @Test("health, server metadata and model metadata", arguments: setups)
    func metadata(setup: TestingSetup) async throws {
        let model = try TestModels.model(seed: 1)
        try await artifactService(model).application().test(setup) { client in
            try await client.execute(uri: "/v2/health/live", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"live":true}"#)
            }
            try await client.execute(uri: "/v2/health/ready", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"ready":true}"#)
            }
            try await client.execute(uri: "/v2", method: .get) { response in
                #expect(String(buffer: response.body) == #"{"extensions":[],"name":"rehearse","version":"test"}"#)
            }
            try await client.execute(uri: "/v2/models/sentiment", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                #expect(String(buffer: response.body) == MetadataDocuments.model(
                    name: "sentiment", version: 1, modelID: model.modelID, labels: ["negative", "neutral", "positive"],
                    versions: [1], lastError: nil, reloads: 0))
                let metadata = try json(response.body.readableBytesView)
                #expect(metadata["outputs"]?[1]?["shape"] == [-1, 3])
                #expect(metadata["platform"]?.string == "rehearsal")
            }
            try await client.execute(uri: "/v2/models/sentiment/versions/1/ready", method: .get) { response in
                #expect(String(buffer: response.body) == #"{"name":"sentiment","ready":true,"version":"1"}"#)
            }
        }
    }

    @Test("V2 infer answers a batch with the model core's predictions and echoes the id", arguments: setups)
    func infer(setup: TestingSetup) async throws {
        let model = try TestModels.model(seed: 1)
        let texts = ["the good day and table", "hate it", "monday report"]
        try await artifactService(model).application().test(setup) { client in
            for uri in ["/v2/models/sentiment/infer", "/v2/models/sentiment/versions/1/infer"] {
                let response = try await client.execute(uri: uri, method: .post, headers: Self.jsonHeaders,
                                                        body: ByteBuffer(string: inferBody(texts, id: "batch-1")))
                #expect(response.status == .ok)
                let body = try json(response.body.readableBytesView)
                #expect(body["id"]?.string == "batch-1")
                #expect(body["model_version"]?.string == "1")
                #expect(body["outputs"]?[0]?["data"] == .array(texts.map { .string(model.predict($0).label) }))
                #expect(body["outputs"]?[2]?["data"] == .array(texts.map { .number(model.predict($0).score) }))
            }
        }
    }

    @Test("/predict answers exactly what rehearse predict prints for a line (without the line number)", arguments: setups)
    func predict(setup: TestingSetup) async throws {
        let model = try TestModels.model(seed: 2)
        try await artifactService(model).application().test(setup) { client in
            let single = try await client.execute(uri: "/predict", method: .post, headers: Self.jsonHeaders,
                                                  body: ByteBuffer(string: #"{"text":"great day","id":17}"#))
            #expect(single.status == .ok)
            #expect(String(buffer: single.body) == model.predict("great day").jsonObject(adding: [("id", "\"17\"")]))
            let batch = try await client.execute(uri: "/predict", method: .post, headers: [:],
                                                 body: ByteBuffer(string: #"{"texts":["great day","bad table"]}"#))
            #expect(String(buffer: batch.body)
                    == "{\"predictions\":[\(model.predict("great day").jsonObject()),\(model.predict("bad table").jsonObject())]}")
        }
    }

    @Test("client mistakes get 4xx with {\"error\": …}", arguments: setups)
    func mistakes(setup: TestingSetup) async throws {
        let service = artifactService(try TestModels.model(seed: 1), limits: ServiceLimits(maximumBodyBytes: 100))
        try await service.application().test(setup) { client in
            let wrongMethod = try await client.execute(uri: "/v2/models/sentiment/infer", method: .get)
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.headers[.allow] == "POST")
            #expect(String(buffer: wrongMethod.body) == #"{"error":"GET is not allowed on /v2/models/sentiment/infer; use POST"}"#)
            let postToGet = try await client.execute(uri: "/v2/health/live", method: .post)
            #expect(postToGet.status == .methodNotAllowed)
            #expect(postToGet.headers[.allow] == "GET, HEAD")
            let long = inferBody([String(repeating: "x", count: 200)])
            // The 413 comes last: it closes the connection.
            let cases: [(String, HTTPRequest.Method, HTTPFields, String, HTTPResponse.Status, String)] = [
                ("/v2/models/other/infer", .post, Self.jsonHeaders, inferBody(["x"]), .notFound, "model other not found; this service serves sentiment"),
                ("/v2/models/sentiment/versions/2", .get, [:], "", .notFound, "model sentiment version 2 not found"),
                ("/v2/models/sentiment/versions/latest/ready", .get, [:], "", .notFound, "model sentiment version latest not found"),
                ("/v2/models/sentiment/infer", .post, [.contentType: "text/plain"], inferBody(["x"]), .unsupportedMediaType,
                 #"Content-Type "text/plain" is not JSON; send the body as Content-Type: application/json"#),
                ("/predict", .post, [.contentType: "application/json", .contentEncoding: "gzip"], #"{"text":"x"}"#, .unsupportedMediaType,
                 #"Content-Encoding "gzip" is not supported; send the body uncompressed"#),
                ("/v2/models/sentiment/infer", .post, Self.jsonHeaders, "{\"inputs\":[", .badRequest,
                 "invalid JSON at line 1, column 12: unexpected end of input; expected a JSON value"),
                ("/predict", .post, [.contentType: "application/json; charset=utf-8"], "[]", .badRequest,
                 #"expected {"text": "…"} or {"texts": ["…", …]}, found an array"#),
                ("/nowhere", .get, [:], "", .notFound,
                 "no endpoint GET /nowhere; the endpoints are /v2/health/live, /v2/health/ready, /v2, /v2/models/{name}[/versions/{v}][/ready|/infer], /v2/models/{name}/feedback, /predict and /metrics"),
                ("/v2/models/sentiment/infer", .post, Self.jsonHeaders, long, .contentTooLarge,
                 "the body is \(long.utf8.count) bytes; the limit is 100 bytes"),
            ]
            for (uri, method, headers, body, status, message) in cases {
                let response = try await client.execute(uri: uri, method: method, headers: headers,
                                                        body: body.isEmpty ? nil : ByteBuffer(string: body))
                #expect(response.status == status, "\(method) \(uri)")
                #expect(String(buffer: response.body) == ServiceError(status: status.code, message).body, "\(method) \(uri)")
                #expect(response.headers[.contentType] == "application/json")
            }
        }
    }

    @Test("/metrics counts requests by route and status, predictions by label, and the model served", arguments: setups)
    func metrics(setup: TestingSetup) async throws {
        let model = try TestModels.model(seed: 1)
        let texts = ["good", "great", "awful"]
        try await artifactService(model).application().test(setup) { client in
            _ = try await client.execute(uri: "/v2/models/sentiment/infer", method: .post, headers: Self.jsonHeaders,
                                         body: ByteBuffer(string: inferBody(texts)))
            _ = try await client.execute(uri: "/v2/models/sentiment/infer", method: .post, headers: Self.jsonHeaders, body: ByteBuffer(string: "{"))
            _ = try await client.execute(uri: "/nowhere", method: .get)
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let lines = Set(String(buffer: response.body).split(separator: "\n").map(String.init))
            #expect(lines.contains(#"rehearse_http_requests_total{route="/v2/models/{name}/infer",status="200"} 1"#))
            #expect(lines.contains(#"rehearse_http_requests_total{route="/v2/models/{name}/infer",status="400"} 1"#))
            #expect(lines.contains(#"rehearse_http_requests_total{route="unmatched",status="404"} 1"#))
            #expect(lines.contains(#"rehearse_http_request_duration_seconds_count{route="/v2/models/{name}/infer"} 2"#))
            #expect(lines.contains("rehearse_http_requests_in_flight 1.0"))  // the /metrics request itself
            #expect(lines.contains("rehearse_model_info{model=\"sentiment\",model_version=\"1\",model_id=\"\(model.modelID)\"} 1.0"))
            var byLabel: [String: Int] = [:]
            for text in texts { byLabel[model.predict(text).label, default: 0] += 1 }
            for (label, count) in byLabel {
                #expect(lines.contains("rehearse_predictions_total{label=\"\(label)\",model_version=\"1\"} \(count)"))
            }
            #expect(lines.contains("rehearse_model_reloads_total 0"))
            #expect(lines.contains("rehearse_model_reload_failures_total 0"))
        }
    }
}

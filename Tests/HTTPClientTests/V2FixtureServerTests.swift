import HTTPClient
import JSON
import Testing

/// Round trips with Tests/Fixtures/v2-echo-server.py, the independent KServe V2 server that
/// the harness's `--target` tests aim at: it must answer the protocol as documented.
@Suite(.needsPython)
struct V2FixtureServerTests {
    @Test func healthAndMetadataAnswer() throws {
        let server = try FixtureServer("v2-echo-server.py")
        defer { server.stop() }
        let client = HTTPClient()
        #expect(try json(client.send(HTTPRequest(url: server.url("/v2/health/live")))) == ["live": true])
        #expect(try json(client.send(HTTPRequest(url: server.url("/v2/health/ready")))) == ["ready": true])
        #expect(try json(client.send(HTTPRequest(url: server.url("/v2/models/sentiment/ready")))) == ["name": "sentiment", "ready": true])
        let metadata = try client.send(HTTPRequest(url: server.url("/v2/models/sentiment/versions/1")))
        #expect(metadata.status == 200)
        #expect(metadata.header("Content-Type") == "application/json")
        guard case .object(let fields) = try json(metadata) else { throw FixtureError("metadata is not an object") }
        #expect(fields["name"] == "sentiment")
        #expect(fields["versions"] == ["1"])
        #expect(fields["parameters"] == ["labels": ["negative", "neutral", "positive"]])
    }

    @Test func inferLabelsABatchAndEchoesTheID() throws {
        let server = try FixtureServer("v2-echo-server.py", arguments: ["tweets"])
        defer { server.stop() }
        let texts: [JSONValue] = ["great day :)", "rain again :( :(", "meh", "up :) down :("]
        let request: JSONValue = ["id": "r-7", "inputs": [["name": "text", "datatype": "BYTES", "shape": [4], "data": .array(texts)]]]
        let response = try HTTPClient().send(HTTPRequest(
            method: "POST", url: server.url("/v2/models/tweets/infer"), headers: [("Content-Type", "application/json")],
            body: Array(request.canonicalText.utf8)
        ))
        #expect(response.status == 200)
        #expect(try json(response) == [
            "id": "r-7", "model_name": "tweets", "model_version": "1",
            "outputs": [
                ["name": "label", "datatype": "BYTES", "shape": [4], "data": ["positive", "negative", "neutral", "neutral"]],
                ["name": "probabilities", "datatype": "FP64", "shape": [4, 3],
                 "data": [0.05, 0.15, 0.8, 0.8, 0.15, 0.05, 0.1, 0.8, 0.1, 0.1, 0.8, 0.1]],
                ["name": "score", "datatype": "FP64", "shape": [4], "data": [0.8, 0.8, 0.8, 0.8]],
            ],
        ])
    }

    @Test(arguments: [
        ("/v2/models/sentiment/infer", #"{"inputs": ["#, 400, "malformed JSON"),
        ("/v2/models/sentiment/infer", #"{"inputs": [{"name": "text", "datatype": "FP32", "shape": [0], "data": []}]}"#, 400, "input 0 must be named \"text\" with datatype BYTES"),
        ("/v2/models/sentiment/infer", #"{"inputs": [{"name": "text", "datatype": "BYTES", "shape": [1], "data": [3]}]}"#, 400, "input 0 element 0 is not a string"),
        ("/v2/models/other/infer", "{}", 404, "model other not found"),
        ("/v2/models/sentiment/versions/2/infer", "{}", 404, "model sentiment version 2 not found"),
    ])
    func badRequestsGetAnErrorObject(path: String, body: String, status: Int, error: String) throws {
        let server = try FixtureServer("v2-echo-server.py")
        defer { server.stop() }
        let response = try HTTPClient().send(HTTPRequest(method: "POST", url: server.url(path), body: Array(body.utf8)))
        #expect(response.status == status)
        guard case .object(let fields) = try json(response), case .string(let message) = fields["error"], fields.count == 1 else {
            Issue.record("expected {\"error\": …}, got \(response.text)")
            return
        }
        #expect(message.hasPrefix(error))
    }

    private func json(_ response: HTTPResponse) throws -> JSONValue { try JSONParser.parse(response.text) }
}

import Foundation
import JSON
import Modes
import Yams

/// The words of online scenarios: the steps and captures that start, ask, load and drain
/// inference services.
enum OnlineSteps {
    /// Step kinds.
    static let kinds = ["serve", "request", "load", "feedback", "signal"]
    /// Capture kinds.
    static let captureKinds = ["responses", "load", "messages", "parity", "service"]
    /// Steps a `load` may perform midway.
    static let midwayKinds = ["alias", "signal", "advance"]
}

extension ScenarioBuilder {
    /// A service declared under `services`.
    func buildService(_ node: Node, models: [String: ModelSpec]) throws(ScenarioError) -> ServiceSpec {
        let fields = try YAMLFields(node, file: file, what: "a service", allowed: [
            "name", "model", "target", "reload_interval", "drain_timeout", "log_topic", "log_text", "quality", "limits"])
        let name = try fields.requiredString("name")
        let modelText = try fields.requiredString("model")
        guard let reference = ModelReference(modelText) else {
            throw YAMLFields.error(file, try fields.required("model"), "\"model\" is name@alias or name@version, such as sentiment@production")
        }
        guard let model = models[reference.name] else {
            throw YAMLFields.error(file, try fields.required("model"), "model \"\(reference.name)\" is not declared under \"models\"")
        }
        if let target = try fields.string("target") { try checkTarget(target, at: try fields.required("target")) }
        var extra: [String] = []
        if let quality = fields.node("quality") {
            let settings = try YAMLFields(quality, file: file, what: "\"quality\"", allowed: ["window", "min_labels", "floor"])
            if let window = try settings.int("window", minimum: 1) { extra += ["--quality-window", String(window)] }
            if let minimum = try settings.int("min_labels", minimum: 1) { extra += ["--quality-min-labels", String(minimum)] }
            if let floor = try settings.double("floor") {
                guard (0...1).contains(floor) else { throw YAMLFields.error(file, settings.node("floor")!, "\"floor\" is an accuracy from 0 to 1") }
                extra += ["--quality-floor", String(floor)]
            }
        }
        if let limits = fields.node("limits") {
            let settings = try YAMLFields(limits, file: file, what: "\"limits\"", allowed: ["max_body", "max_texts", "max_text_bytes"])
            for (key, flag) in [("max_body", "--max-body"), ("max_texts", "--max-texts"), ("max_text_bytes", "--max-text-bytes")] {
                if let value = try settings.int(key, minimum: 1) { extra += [flag, String(value)] }
            }
        }
        return ServiceSpec(
            name: name, model: model, aliasOrVersion: reference.aliasOrVersion, target: try fields.string("target"),
            reloadInterval: try duration(fields, "reload_interval") ?? .milliseconds(100),
            drainTimeout: try duration(fields, "drain_timeout") ?? .seconds(10),
            logTopic: try fields.string("log_topic") ?? "predictions", logText: try fields.bool("log_text") ?? false,
            extraArguments: extra)
    }

    /// A target must be an `http://host:port` URL with no path: the service's root.
    func checkTarget(_ target: String, at node: Node) throws(ScenarioError) {
        guard let url = URL(string: target), url.scheme == "http" || url.scheme == "https", url.host != nil,
              url.path.isEmpty || url.path == "/", url.query == nil else {
            throw YAMLFields.error(file, node, "\"target\" is the root URL of a running service, such as http://127.0.0.1:8080, not \"\(target)\"")
        }
    }

    /// One of the online steps (`kind` is in `OnlineSteps.kinds`).
    func buildOnlineStep(_ kind: String, _ body: Node, context: StepContext) throws(ScenarioError) -> StepAction {
        switch kind {
        case "serve":
            return .serve(try YAMLFields.declared(body, file: file, kind: "service", in: context.services))
        case "request":
            let fields = try YAMLFields(body, file: file, what: "\"request\"", allowed: ["name", "service", "infer", "predict", "http"])
            return .request(RequestStep(name: try fields.requiredString("name"), service: try fields.declared("service", in: context.services),
                                        source: try requestSource(fields, context: context, allowHTTP: true)))
        case "load":
            let fields = try YAMLFields(body, file: file, what: "\"load\"",
                                        allowed: ["name", "service", "infer", "predict", "connections", "requests", "midway"])
            let connections = try fields.int("connections", minimum: 1) ?? 8
            guard connections <= 256 else { throw YAMLFields.error(file, fields.node("connections")!, "\"connections\" is at most 256") }
            guard let requests = try fields.int("requests", minimum: 1) else { throw YAMLFields.error(file, body, "\"load\" needs \"requests\": how many to send") }
            guard requests <= 1_000_000 else { throw YAMLFields.error(file, fields.node("requests")!, "\"requests\" is at most 1,000,000") }
            var midway: [Step] = []
            for node in try fields.list("midway") {
                guard case .mapping(let mapping) = node, case .scalar(let key)? = mapping.first?.key, OnlineSteps.midwayKinds.contains(key.string) else {
                    throw YAMLFields.error(file, node, "a \"midway\" step is one of: \(OnlineSteps.midwayKinds.joined(separator: ", "))")
                }
                midway.append(try buildStep(node, context: context))
            }
            return .load(LoadStep(name: try fields.requiredString("name"), service: try fields.declared("service", in: context.services),
                                  source: try requestSource(fields, context: context, allowHTTP: false),
                                  connections: connections, requests: requests, midway: midway))
        case "feedback":
            let fields = try YAMLFields(body, file: file, what: "\"feedback\"", allowed: ["name", "service", "model", "slice"])
            guard let slice = try sliceReference(fields, context: context) else {
                throw YAMLFields.error(file, body, "\"feedback\" needs \"slice\": the rows whose true labels are sent")
            }
            let service = try fields.declared("service", in: context.services)
            return .feedback(FeedbackStep(name: try fields.string("name"), service: service, model: try fields.string("model") ?? service.model.name, slice: slice))
        default:  // signal
            let fields = try YAMLFields(body, file: file, what: "\"signal\"", allowed: ["serve", "service"])
            guard try fields.requiredString("serve") == "drain" else {
                throw YAMLFields.error(file, try fields.required("serve"), "\"serve\" takes drain: the service gets SIGTERM and drains")
            }
            return .drain(try fields.declared("service", in: context.services))
        }
    }

    /// One of the online captures (`kind` is in `OnlineSteps.captureKinds`).
    func buildOnlineCapture(_ kind: String, _ body: Node, context: StepContext) throws(ScenarioError) -> CaptureSource {
        switch kind {
        case "responses":
            if case .scalar = body { return .responses(name: try YAMLFields.string(body, file: file, what: "\"responses\""), headers: ["content-type"]) }
            let fields = try YAMLFields(body, file: file, what: "\"responses\"", allowed: ["name", "headers"])
            return .responses(name: try fields.requiredString("name"), headers: try fields.strings("headers").map { $0.lowercased() })
        case "load":
            return .load(name: try YAMLFields.string(body, file: file, what: "\"load\""))
        case "messages":
            let fields = try YAMLFields(body, file: file, what: "\"messages\"", allowed: ["subscription"])
            return .messages(subscription: try fields.requiredString("subscription"))
        case "parity":
            let fields = try YAMLFields(body, file: file, what: "\"parity\"", allowed: ["responses", "job"])
            return .parity(responses: try fields.requiredString("responses"),
                           job: try YAMLFields.declared(try fields.required("job"), file: file, kind: "job", in: context.jobs))
        default:  // service
            return .service(try YAMLFields.declared(body, file: file, kind: "service", in: context.services))
        }
    }

    // MARK: Pieces

    private func requestSource(_ fields: YAMLFields, context: StepContext, allowHTTP: Bool) throws(ScenarioError) -> RequestSource {
        let kinds = (allowHTTP ? ["infer", "predict", "http"] : ["infer", "predict"]).filter(fields.has)
        guard kinds.count == 1, let kind = kinds.first, let body = fields.node(kind) else {
            throw YAMLFields.error(file, fields.node, "\(fields.what) needs exactly one of: \(allowHTTP ? "infer, predict, http" : "infer, predict")")
        }
        switch kind {
        case "infer":
            let infer = try YAMLFields(body, file: file, what: "\"infer\"", allowed: ["model", "version", "slice", "batch"])
            guard let slice = try sliceReference(infer, context: context) else { throw YAMLFields.error(file, body, "\"infer\" needs \"slice\"") }
            return .infer(model: try infer.requiredString("model"), version: try infer.int("version", minimum: 1), slice: slice,
                          batch: try infer.int("batch", minimum: 1) ?? 1)
        case "predict":
            let predict = try YAMLFields(body, file: file, what: "\"predict\"", allowed: ["slice", "batch"])
            guard let slice = try sliceReference(predict, context: context) else { throw YAMLFields.error(file, body, "\"predict\" needs \"slice\"") }
            return .predict(slice: slice, batch: try predict.int("batch", minimum: 1) ?? 1)
        default:
            return .http(try rawRequest(body))
        }
    }

    /// `http: {method, path, headers, json | text | base64 | fill}`; `fill: {before, text, repeat, after}`
    /// is `text` repeated, between `before` and `after` (a large or deeply nested body).
    private func rawRequest(_ node: Node) throws(ScenarioError) -> RawRequest {
        let fields = try YAMLFields(node, file: file, what: "\"http\"", allowed: ["method", "path", "headers", "json", "text", "base64", "fill"])
        let method = try fields.string("method") ?? "GET"
        guard !method.isEmpty, method.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) else {
            throw YAMLFields.error(file, fields.node("method")!, "\"method\" is an HTTP method in capitals, such as GET or POST")
        }
        let path = try fields.requiredString("path")
        guard path.hasPrefix("/"), !path.contains(where: { $0 == " " || $0.isNewline }) else {
            throw YAMLFields.error(file, try fields.required("path"), "\"path\" starts with / and has no spaces, such as /v2/models/sentiment/infer")
        }
        var headers: [(name: String, value: String)] = []
        if let node = fields.node("headers") {
            guard case .mapping(let mapping) = node else { throw YAMLFields.error(file, node, "\"headers\" maps header names to values") }
            for (key, value) in try YAMLFields.entries(of: mapping, file: file) {
                headers.append((try YAMLFields.string(key, file: file, what: "a header name").lowercased(),
                                try YAMLFields.string(value, file: file, what: "a header value")))
            }
        }
        let bodies = ["json", "text", "base64", "fill"].filter(fields.has)
        guard bodies.count <= 1 else { throw YAMLFields.error(file, node, "\"http\" takes at most one body: json, text, base64 or fill") }
        var body: [UInt8] = []
        switch bodies.first {
        case "json":
            body = Array(try YAMLJSON.value(fields.node("json")!, file: file).canonicalText.utf8)
            if !headers.contains(where: { $0.name == "content-type" }) { headers.append(("content-type", "application/json")) }
        case "text":
            body = Array(try fields.requiredString("text").utf8)
        case "base64":
            guard let data = Data(base64Encoded: try fields.requiredString("base64")) else {
                throw YAMLFields.error(file, fields.node("base64")!, "\"base64\" is not valid base64")
            }
            body = [UInt8](data)
        case "fill":
            let fill = try YAMLFields(fields.node("fill")!, file: file, what: "\"fill\"", allowed: ["before", "text", "repeat", "after"])
            guard let count = try fill.int("repeat", minimum: 1), count <= 64 << 20 else {
                throw YAMLFields.error(file, fields.node("fill")!, "\"fill\" needs \"repeat\": 1 to 67108864 times its text")
            }
            let unit = Array(try fill.requiredString("text").utf8)
            body = Array((try fill.string("before") ?? "").utf8)
            body.reserveCapacity(body.count + unit.count * count)
            for _ in 0..<count { body += unit }
            body += Array((try fill.string("after") ?? "").utf8)
        default:
            break
        }
        return RawRequest(method: method, path: path, headers: headers, body: body)
    }
}

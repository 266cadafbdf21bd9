import Hummingbird
import ModelCore
import NIOPosix

/// The service's endpoints: KServe V2 REST (health, metadata, readiness, inference), the plain
/// `POST /predict`, and `GET /metrics`.
struct ServiceRoutes: Sendable {
    typealias Context = BasicRequestContext

    let host: ModelHost
    let limits: ServiceLimits
    let readiness: Readiness
    let metrics: ServiceMetrics
    let events: PredictionEvents
    let workspaces: WorkspacePool
    let serverVersion: String

    /// Adds every route to `router`, each path answering 405 (with `Allow`) to the methods it lacks.
    func register(on router: Router<Context>) {
        var methods: [(path: String, method: HTTPRequest.Method)] = []
        func get(_ path: String, _ handler: @escaping @Sendable (Request, Context) async throws -> Response) {
            router.get(RouterPath(path), use: handler)
            methods.append((path, .get))
        }
        func post(_ path: String, _ handler: @escaping @Sendable (Request, Context) async throws -> Response) {
            router.post(RouterPath(path), use: handler)
            methods.append((path, .post))
        }

        get("/v2/health/live") { _, _ in .json(#"{"live":true}"#) }
        get("/v2/health/ready") { _, _ in try serverReady() }
        get("/v2") { _, _ in .json(MetadataDocuments.server(version: serverVersion)) }
        for versioned in [false, true] {
            let model = versioned ? "/v2/models/{name}/versions/{version}" : "/v2/models/{name}"
            get(model) { _, context in try await metadata(of: try await self.model(for: context)) }
            get(model + "/ready") { _, context in
                let served = try await self.model(for: context)
                return .json(MetadataDocuments.modelReady(name: served.name, version: served.version))
            }
            post(model + "/infer") { request, context in try await infer(request, context) }
        }
        post("/predict") { request, context in try await predict(request, context) }
        get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.render(host: host))))
        }

        for path in Set(methods.map(\.path)) {
            let allowed = methods.filter { $0.path == path }.map(\.method)
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch, .options] where !allowed.contains(method) {
                router.on(RouterPath(path), method: method) { request, _ in
                    Response.json(ServiceError.methodNotAllowed("\(request.method) is not allowed on \(request.uri.path); use \(allow)").body,
                                  status: .methodNotAllowed, headers: [.allow: allow])
                }
            }
        }
    }

    // MARK: Health and metadata

    private func serverReady() throws(ServiceError) -> Response {
        guard !readiness.isDraining else { throw .unavailable("not ready: the service is draining (shutting down)") }
        guard host.current != nil else { throw notLoaded() }
        return .json(#"{"ready":true}"#)
    }

    private func notLoaded() -> ServiceError {
        let lastError = host.status.lastError
        return .unavailable("model \(host.name) is not loaded yet" + (lastError.map { ": \($0)" } ?? ""))
    }

    private func metadata(of model: ServedModel) async throws -> Response {
        let status = host.status
        return .json(MetadataDocuments.model(name: model.name, version: model.version, modelID: model.modelID, labels: model.labels,
                                             versions: status.versions, lastError: status.lastError, reloads: status.reloads))
    }

    /// The model a `/v2/models/{name}[/versions/{version}]` path names: the one being served, or
    /// another registered version (loaded off the request's thread the first time).
    private func model(for context: Context) async throws -> ServedModel {
        let name = context.parameters.get("name") ?? ""
        guard name == host.name else { throw ServiceError.notFound("model \(name) not found; this service serves \(host.name)") }
        guard let text = context.parameters.get("version") else {
            guard let current = host.current else { throw notLoaded() }
            return current
        }
        guard let version = Int(text), version > 0 else { throw ServiceError.notFound("model \(name) version \(text) not found") }
        if let current = host.current, current.version == version { return current }
        let host = host
        return try await NIOThreadPool.singleton.runIfActive { try host.model(version: version) }
    }

    // MARK: Inference

    private func infer(_ request: Request, _ context: Context) async throws -> Response {
        let model = try await model(for: context)
        let body = try await RequestBodyReader.read(request, limits: limits)
        let limits = limits
        let inference = try RequestBodyReader.decode(body) { bytes throws(ServiceError) in try InferenceRequest.decode(bytes, limits: limits) }
        let result = workspaces.withWorkspace { model.predict(inference.texts, workspace: &$0) }
        events.served(result, texts: inference.texts, requestID: inference.id, model: model)
        return .json(model.responseEncoder.encode(id: inference.id, outputs: inference.outputs, result: result))
    }

    private func predict(_ request: Request, _ context: Context) async throws -> Response {
        guard let model = host.current else { throw notLoaded() }
        let body = try await RequestBodyReader.read(request, limits: limits)
        let limits = limits
        let decoded = try RequestBodyReader.decode(body) { bytes throws(ServiceError) in try PredictRequest.decode(bytes, limits: limits) }
        let texts: [String]
        let id: String?
        switch decoded {
        case .single(let record): (texts, id) = ([record.text], record.id)
        case .batch(let batch): (texts, id) = (batch, nil)
        }
        let result = workspaces.withWorkspace { model.predict(texts, workspace: &$0) }
        events.served(result, texts: texts, requestID: id, model: model)
        let predictions = result.predictions(labels: model.labels, modelID: model.modelID)
        switch decoded {
        case .single: return .json(PredictRequest.responseBody(single: predictions[0], id: id))
        case .batch: return .json(PredictRequest.responseBody(batch: predictions))
        }
    }
}

extension InferenceResult {
    /// The result as one `Prediction` per text.
    func predictions(labels: [String], modelID: String) -> [Prediction] {
        (0..<count).map { row in
            Prediction(label: labels[labelIndices[row]], labels: labels,
                       probabilities: Array(probabilities[(row * labelCount)..<((row + 1) * labelCount)]),
                       score: scores[row], modelID: modelID)
        }
    }
}

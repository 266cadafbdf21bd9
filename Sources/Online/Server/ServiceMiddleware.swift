import Hummingbird
import Logging

/// Wraps every route (and the not-found answer): counts requests in flight, times them, counts
/// them by route and status, and turns every refusal into `{"error": …}` with its status, so no
/// client mistake ever becomes a 500. Anything else thrown is a bug in the service: it is
/// logged and answered 500 with its description.
struct ServiceMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    let metrics: ServiceMetrics
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        metrics.inFlight.increment()
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as ServiceError {
            response = .error(error)
        } catch let error as HTTPError where error.status == .notFound {
            response = .error(.notFound("no endpoint \(request.method) \(request.uri.path); the endpoints are /v2/health/live, /v2/health/ready, "
                                        + "/v2, /v2/models/{name}[/versions/{v}][/ready|/infer], /v2/models/{name}/feedback, /predict and /metrics"))
        } catch let error as HTTPError where (400..<500).contains(error.status.code) {
            response = .error(ServiceError(status: error.status.code, error.body ?? error.status.reasonPhrase))
        } catch {
            logger.error("unexpected error answering \(request.method) \(request.uri.path): \(error)")
            response = .error(ServiceError(status: 500, "internal error: \(error)"))
        }
        metrics.inFlight.decrement()
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        metrics.recordRequest(route: route, status: response.status.code, duration: start.duration(to: .now))
        return response
    }
}

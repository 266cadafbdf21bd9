import Prometheus
import Synchronization

/// The service's metrics, in a Prometheus registry of its own (no global bootstrap, so several
/// services in one process keep separate numbers), rendered by `GET /metrics`:
///
/// - `rehearse_http_requests_total{route,status}`: answered requests, by route pattern
///   (`/v2/models/{name}/infer`; `unmatched` for paths no route has) and status code;
/// - `rehearse_http_request_duration_seconds{route}`: a latency histogram;
/// - `rehearse_http_requests_in_flight`: requests being answered now;
/// - `rehearse_predictions_total{label,model_version}`: texts predicted, by label;
/// - `rehearse_model_info{model,model_version,model_id}`: 1 for the version being served;
/// - `rehearse_model_reloads_total`, `rehearse_model_reload_failures_total`.
///
/// Handles are made once per label set and kept, so the request path only touches atomics
/// (and the histogram's lock).
final class ServiceMetrics: Sendable {
    /// The registry `/metrics` renders.
    let registry = PrometheusCollectorRegistry()
    /// Requests being answered now.
    let inFlight: Gauge
    /// New versions swapped in.
    let reloads: Counter
    /// Failed load attempts.
    let reloadFailures: Counter

    private struct RequestKey: Hashable {
        let route: String
        let status: Int
    }

    private struct PredictionKey: Hashable {
        let label: String
        let version: Int
    }

    private let requests = Mutex<[RequestKey: Counter]>([:])
    private let latencies = Mutex<[String: DurationHistogram]>([:])
    private let predictions = Mutex<[PredictionKey: Counter]>([:])
    private let modelInfo = Mutex<Gauge?>(nil)

    /// Latency histogram buckets, from 100 µs to 2.5 s.
    static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
    ]

    init() {
        inFlight = registry.makeGauge(name: "rehearse_http_requests_in_flight", help: "Requests being answered now.")
        reloads = registry.makeCounter(name: "rehearse_model_reloads_total", help: "New model versions swapped in after the first load.")
        reloadFailures = registry.makeCounter(name: "rehearse_model_reload_failures_total",
                                              help: "Model load attempts that failed; the previous model kept serving.")
    }

    /// Counts one answered request and its latency.
    func recordRequest(route: String, status: Int, duration: Duration) {
        let key = RequestKey(route: route, status: status)
        let counter = requests.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = registry.makeCounter(name: "rehearse_http_requests_total", labels: [("route", route), ("status", String(status))],
                                               help: "Answered HTTP requests, by route pattern and status code.")
            counters[key] = counter
            return counter
        }
        counter.increment()
        let histogram = latencies.withLock { histograms in
            if let histogram = histograms[route] { return histogram }
            let histogram = registry.makeDurationHistogram(name: "rehearse_http_request_duration_seconds", labels: [("route", route)],
                                                           buckets: Self.latencyBuckets, help: "Time to answer a request, by route pattern.")
            histograms[route] = histogram
            return histogram
        }
        histogram.record(duration)
    }

    /// Counts predictions: `counts[i]` texts got `labels[i]` from `version`.
    func recordPredictions(labels: [String], counts: [Int], version: Int) {
        for (label, count) in zip(labels, counts) where count > 0 {
            let key = PredictionKey(label: label, version: version)
            let counter = predictions.withLock { counters in
                if let counter = counters[key] { return counter }
                let counter = registry.makeCounter(name: "rehearse_predictions_total", labels: [("label", label), ("model_version", String(version))],
                                                   help: "Texts predicted, by label and model version.")
                counters[key] = counter
                return counter
            }
            counter.increment(by: Int64(count))
        }
    }

    /// Marks `model` as the version being served (the previous one's series is removed).
    func recordServing(_ model: ServedModel) {
        let gauge = registry.makeGauge(name: "rehearse_model_info",
                                       labels: [("model", model.name), ("model_version", String(model.version)), ("model_id", model.modelID)],
                                       help: "1 for the model version being served.")
        gauge.set(to: 1.0)
        let previous = modelInfo.withLock { current in
            defer { current = gauge }
            return current
        }
        if let previous, previous !== gauge { registry.unregisterGauge(previous) }
    }

    /// The Prometheus text exposition of every metric.
    func render() -> [UInt8] {
        registry.emitToBuffer()
    }
}

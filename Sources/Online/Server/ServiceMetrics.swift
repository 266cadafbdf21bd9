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
/// (and the histogram's lock). The model series are brought up to date from the ``ModelHost``
/// when `/metrics` is rendered, so they always agree with the model metadata.
final class ServiceMetrics: Sendable {
    /// The registry `/metrics` renders.
    let registry = PrometheusCollectorRegistry()
    /// Requests being answered now.
    let inFlight: Gauge
    /// New versions swapped in.
    private let reloads: Counter
    /// Failed load attempts.
    private let reloadFailures: Counter

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
    /// The model series as last rendered: reloads and failures counted, the info series shown.
    private let reported = Mutex<(reloads: Int, failures: Int, info: Gauge?, modelID: String?)>((0, 0, nil, nil))

    /// The metrics' names and help texts.
    private enum Name {
        static func make(_ subsystem: String?, _ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "rehearse", subsystem: subsystem, metricName: name, unitName: unit, helpText: help)
        }
        static var requests: MetricNameDescriptor { make("http", "requests", "total", "Answered HTTP requests, by route pattern and status code.") }
        static var duration: MetricNameDescriptor { make("http", "request_duration", "seconds", "Time to answer a request, by route pattern.") }
        static var inFlight: MetricNameDescriptor { make("http", "requests_in_flight", "", "Requests being answered now.") }
        static var predictions: MetricNameDescriptor { make(nil, "predictions", "total", "Texts predicted, by label and model version.") }
        static var info: MetricNameDescriptor { make("model", "info", "", "1 for the model version being served.") }
        static var reloads: MetricNameDescriptor { make("model", "reloads", "total", "New model versions swapped in after the first load.") }
        static var reloadFailures: MetricNameDescriptor { make("model", "reload_failures", "total", "Model load attempts that failed; the previous model kept serving.") }
    }

    /// Latency histogram buckets, from 100 µs to 2.5 s.
    static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
    ]

    init() {
        inFlight = registry.makeGauge(descriptor: Name.inFlight)
        reloads = registry.makeCounter(descriptor: Name.reloads)
        reloadFailures = registry.makeCounter(descriptor: Name.reloadFailures)
    }

    /// Counts one answered request and its latency.
    func recordRequest(route: String, status: Int, duration: Duration) {
        let key = RequestKey(route: route, status: status)
        let counter = requests.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = registry.makeCounter(descriptor: Name.requests, labels: [("route", route), ("status", String(status))])
            counters[key] = counter
            return counter
        }
        counter.increment()
        let histogram = latencies.withLock { histograms in
            if let histogram = histograms[route] { return histogram }
            let histogram = registry.makeDurationHistogram(descriptor: Name.duration, labels: [("route", route)], buckets: Self.latencyBuckets)
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
                let counter = registry.makeCounter(descriptor: Name.predictions, labels: [("label", label), ("model_version", String(version))])
                counters[key] = counter
                return counter
            }
            counter.increment(by: Int64(count))
        }
    }

    /// The Prometheus text exposition of every metric, the model series brought up to date
    /// with `host` first.
    func render(host: ModelHost) -> [UInt8] {
        let status = host.status
        reported.withLock { reported in
            reloads.increment(by: Int64(status.reloads - reported.reloads))
            reloadFailures.increment(by: Int64(status.reloadFailures - reported.failures))
            (reported.reloads, reported.failures) = (status.reloads, status.reloadFailures)
            guard let version = status.version, let modelID = status.modelID, modelID != reported.modelID else { return }
            if let previous = reported.info { registry.unregisterGauge(previous) }
            let info = registry.makeGauge(descriptor: Name.info, labels: [("model", host.name), ("model_version", String(version)), ("model_id", modelID)])
            info.set(to: 1.0)
            (reported.info, reported.modelID) = (info, modelID)
        }
        return registry.emitToBuffer()
    }
}

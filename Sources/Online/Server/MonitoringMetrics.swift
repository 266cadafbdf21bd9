import Modes
import Prometheus
import Synchronization

/// The prediction log's and quality monitor's series in `/metrics`, brought up to date each
/// time the metrics are rendered (they are read from the log and the monitor, never counted
/// twice):
///
/// - `rehearse_prediction_log_published_total`, `…_dropped_total`, `…_publish_failures_total`;
/// - `rehearse_prediction_log_buffered`: records waiting to be published;
/// - `rehearse_model_rolling_accuracy{model,model_version}`, `rehearse_model_rolling_macro_f1{…}`,
///   `rehearse_model_quality_labels{…}` (labels in the window), `rehearse_model_quality_floor{…}`,
///   and `rehearse_model_quality_degraded{…}` (1 while under the floor).
final class MonitoringMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let published: Counter
    private let dropped: Counter
    private let publishFailures: Counter
    private let buffered: Gauge
    /// The log counts already added to the counters.
    private let reported = Mutex(PredictionLog.Counts(published: 0, dropped: 0, buffered: 0, publishFailures: 0))

    /// Series in `registry`.
    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        published = registry.makeCounter(descriptor: Self.metric("rehearse_prediction_log_published_total", help: "Prediction records published to the log topic."))
        dropped = registry.makeCounter(descriptor: Self.metric(
            "rehearse_prediction_log_dropped_total", help: "Prediction records dropped because the log's buffer was full (the queue unavailable)."))
        publishFailures = registry.makeCounter(descriptor: Self.metric("rehearse_prediction_log_publish_failures_total", help: "Failed attempts to publish a batch of the log."))
        buffered = registry.makeGauge(descriptor: Self.metric("rehearse_prediction_log_buffered", help: "Prediction records waiting to be published."))
    }

    /// A series named `name` in full (its unit, if any, already in the name).
    private static func metric(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    /// Brings every series up to date with `monitoring`.
    func update(from monitoring: ServiceMonitoring) {
        let counts = monitoring.log.counts
        let previous = reported.withLock { reported in
            defer { reported = counts }
            return reported
        }
        published.increment(by: Int64(max(0, counts.published - previous.published)))
        dropped.increment(by: Int64(max(0, counts.dropped - previous.dropped)))
        publishFailures.increment(by: Int64(max(0, counts.publishFailures - previous.publishFailures)))
        buffered.set(to: Double(counts.buffered))
        for state in monitoring.quality.states() {
            let labels = [("model", state.modelName), ("model_version", String(state.modelVersion))]
            registry.makeGauge(descriptor: Self.metric("rehearse_model_quality_labels", help: "Labelled predictions in the rolling window."), labels: labels)
                .set(to: Double(state.labels))
            registry.makeGauge(descriptor: Self.metric("rehearse_model_quality_degraded", help: "1 while rolling accuracy is under the floor."), labels: labels)
                .set(to: state.degraded ? 1 : 0)
            if let accuracy = state.accuracy {
                registry.makeGauge(descriptor: Self.metric("rehearse_model_rolling_accuracy", help: "Accuracy over the rolling window of labelled predictions."), labels: labels)
                    .set(to: accuracy)
            }
            if let macroF1 = state.macroF1 {
                registry.makeGauge(descriptor: Self.metric("rehearse_model_rolling_macro_f1", help: "Macro-F1 over the rolling window of labelled predictions."), labels: labels)
                    .set(to: macroF1)
            }
            if let floor = state.floor {
                registry.makeGauge(descriptor: Self.metric("rehearse_model_quality_floor", help: "The rolling accuracy under which quality counts as degraded."), labels: labels)
                    .set(to: floor)
            }
        }
    }
}

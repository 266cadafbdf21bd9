/// The one place where the service reports what it predicted, after each answered request.
///
/// It counts predictions by label for `/metrics`, and hands them to the prediction log and the
/// quality monitor (`ServiceMonitoring`) when the service has them: each text of the request
/// becomes one record with the request's id (the `id` the client sent, or one the service made
/// up), its index, the model that answered and its label and score — which is why every
/// endpoint passes all of these.
struct PredictionEvents: Sendable {
    let metrics: ServiceMetrics
    /// The prediction log and quality monitor; nil when the service has no queue (no `--root`).
    let monitoring: ServiceMonitoring?

    /// `model` answered `texts` of the request `requestID` with `result`.
    /// - Returns: the request's id as logged — the one it sent, or the `srv-<n>` the prediction
    ///   log gave a request without one — for a V2 answer to echo, so that feedback can name it;
    ///   nil for a request without an id when there is no log.
    @discardableResult
    func served(_ result: InferenceResult, texts: [String], requestID: String?, model: ServedModel) -> String? {
        var counts = [Int](repeating: 0, count: result.labelCount)
        for index in result.labelIndices { counts[index] += 1 }
        metrics.recordPredictions(labels: model.labels, counts: counts, version: model.version)
        return monitoring?.served(result, texts: texts, requestID: requestID, model: model) ?? requestID
    }
}

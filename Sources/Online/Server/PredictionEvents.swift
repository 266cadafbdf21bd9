/// The one place where the service reports what it predicted, after each answered request.
///
/// Today it counts predictions by label for `/metrics`. The prediction log and the quality
/// monitor (`PredictionLog.record` and `QualityMonitor.remember` in `Modes/Online`) are wired
/// here too: each text of the request becomes one record with the request's id (the `id` the
/// client sent, or one the service made up), its index, the model that answered and its label
/// and score — which is why every endpoint passes all of these.
struct PredictionEvents: Sendable {
    let metrics: ServiceMetrics

    /// `model` answered `texts` of the request `requestID` with `result`.
    func served(_ result: InferenceResult, texts: [String], requestID: String?, model: ServedModel) {
        var counts = [Int](repeating: 0, count: result.labelCount)
        for index in result.labelIndices { counts[index] += 1 }
        metrics.recordPredictions(labels: model.labels, counts: counts, version: model.version)
    }
}

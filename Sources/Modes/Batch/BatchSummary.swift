/// What one batch run did, for reports and scenario captures. Holds no times or paths, so it is
/// the same on every run of the same inputs.
public struct BatchSummary: Sendable, Equatable, Codable {
    /// The job's name.
    public let job: String
    /// Whether the run committed its output; written as `"succeeded"` or `"failed"`.
    public let status: BatchStatus
    /// The run folder's name (nil when the job failed before choosing it).
    public let run: String?
    /// The model reference as given (`name@alias`) and the id it resolved to.
    public let model: String
    /// The model id it resolved to (nil when the run failed before).
    public let modelID: String?
    /// Input objects read.
    public let inputs: Int
    /// Rows predicted.
    public let rows: Int
    /// Rows rejected.
    public let rejected: Int
    /// Prediction shards written.
    public let shards: Int
    /// The manifest written (nil when the run failed).
    public let manifest: String?
    /// Why the run failed.
    public let error: String?

    enum CodingKeys: String, CodingKey {
        case job, status, run, model, inputs, rows, rejected, shards, manifest, error
        case modelID = "model_id"
    }

    init(job: String, status: BatchStatus, run: String?, model: String, modelID: String?, inputs: Int, rows: Int,
         rejected: Int, shards: Int, manifest: String?, error: String?) {
        self.job = job
        self.status = status
        self.run = run
        self.model = model
        self.modelID = modelID
        self.inputs = inputs
        self.rows = rows
        self.rejected = rejected
        self.shards = shards
        self.manifest = manifest
        self.error = error
    }

    /// The summary of a run that failed with `error`.
    public static func failed(_ spec: BatchJobSpec, error: any Error) -> BatchSummary {
        BatchSummary(job: spec.name, status: .failed, run: nil, model: spec.model.description, modelID: nil,
                     inputs: 0, rows: 0, rejected: 0, shards: 0, manifest: nil, error: "\(error)")
    }
}

/// How a batch run ended.
public enum BatchStatus: String, Sendable, Equatable, Codable {
    /// The manifest was committed.
    case succeeded
    /// The run stopped before committing; `BatchSummary.error` says why.
    case failed
}

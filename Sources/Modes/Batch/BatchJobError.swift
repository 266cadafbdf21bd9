/// Why a batch job stopped without writing its manifest.
public enum BatchJobError: Error, Equatable, CustomStringConvertible {
    /// No object has a key starting with the input prefix.
    case noInputs(bucket: String, prefix: String)
    /// An injected fault killed the job after this many shards were written.
    case killed(job: String, afterShards: Int)
    /// Another run replaced the manifest while this one was writing.
    case concurrentRun(job: String, manifestKey: String)

    public var description: String {
        switch self {
        case .noInputs(let bucket, let prefix):
            "no input objects under \"\(prefix)\" in bucket \"\(bucket)\""
        case .killed(let job, let shards):
            "job \"\(job)\" was killed by an injected fault after writing \(shards) shard\(shards == 1 ? "" : "s"); no manifest was written"
        case .concurrentRun(let job, let key):
            "job \"\(job)\": \(key) was replaced by another run while this one was writing; this run was not committed"
        }
    }
}

/// Why a batch job stopped without writing its manifest.
public enum BatchJobError: Error, Equatable, CustomStringConvertible {
    /// No object has a key starting with the input prefix.
    case noInputs(bucket: String, prefix: String)
    /// An injected fault killed the job after this many shards were written.
    case killed(job: String, afterShards: Int)
    /// Another run replaced the manifest while this one was writing.
    case concurrentRun(job: String, manifestKey: String)
    /// An input's header (CSV) cannot be read, or its records (JSON Lines) never have, the
    /// text or id column the job names, or a column a tabular model reads: a wrong column name,
    /// not a bad row. `found` lists the header's columns (or the first record's fields).
    case missingColumn(input: String, role: ColumnRole, column: String, found: [String])
    /// A CSV input's header row is malformed.
    case malformedHeader(input: String, line: Int, problem: String)
    /// Every row of every input was rejected: there is nothing to score, and committing an
    /// empty run would replace the previous output. `first` is the first reject.
    case everyRowRejected(job: String, rejected: Int, first: RejectedRow)
    /// Every row of one input was rejected, two or more, all for the same reason: a systemic
    /// problem with that input (a wrong delimiter, another format), not bad rows.
    case inputRejectedForOneReason(input: String, rejected: Int, reason: String)

    /// Which column a job reads: the text (for a text model), the id, or a feature (a column of
    /// a tabular model's schema).
    public enum ColumnRole: String, Sendable, Equatable {
        case text, id, feature
    }

    public var description: String {
        switch self {
        case .noInputs(let bucket, let prefix):
            "no input objects under \"\(prefix)\" in bucket \"\(bucket)\""
        case .killed(let job, let shards):
            "job \"\(job)\" was killed by an injected fault after writing \(shards) shard\(shards == 1 ? "" : "s"); no manifest was written"
        case .concurrentRun(let job, let key):
            "job \"\(job)\": \(key) was replaced by another run while this one was writing; this run was not committed"
        case .missingColumn(let input, .feature, let column, let found):
            "input \(input) has no column \"\(column)\", which the tabular model reads (found: \(Self.shortList(found))); "
                + "every input needs all of the model's columns (see its schema). Nothing was written"
        case .missingColumn(let input, let role, let column, let found):
            "input \(input) has no \(role.rawValue) column \"\(column)\" (found: \(Self.shortList(found))); "
                + "check --\(role.rawValue) (or the job's \(role.rawValue) field). Nothing was written"
        case .malformedHeader(let input, let line, let problem):
            "input \(input) line \(line): malformed CSV header: \(problem). Nothing was written"
        case .everyRowRejected(let job, let rejected, let first):
            "job \"\(job)\": every row was rejected (\(rejected) row\(rejected == 1 ? "" : "s")), so there is nothing to score; "
                + "the first: \(first.input) line \(first.line): \(first.reason). Nothing was written"
        case .inputRejectedForOneReason(let input, let rejected, let reason):
            "input \(input): all \(rejected) rows were rejected for one reason: \(reason); "
                + "check the input's format and the job's columns. Nothing was written"
        }
    }
}

extension BatchJobError {
    /// Column names for a message, cut short after 200 characters (a file without a header can
    /// have a first line of any length).
    static func shortList(_ names: [String]) -> String {
        if names.isEmpty { return "none" }
        let all = names.joined(separator: ",")
        return all.count <= 200 ? all : all.prefix(200) + "…"
    }
}

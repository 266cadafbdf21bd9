import LocalCloud

/// Why a scenario could not be rehearsed to the end: where it stopped and what went wrong,
/// with the underlying error kept as it was thrown (never flattened to text) until a report
/// prints it.
public struct ScenarioRunError: Error, Sendable, CustomStringConvertible {
    /// Where the scenario stopped.
    public enum Place: Sendable, Equatable {
        /// Building the sandbox or preparing models, before the first step.
        case setup
        /// Training, loading or registering the model declared at this 1-based line of the
        /// scenario file `file`.
        case model(name: String, file: String, line: Int)
        /// The step at this 1-based line of the scenario file `file`.
        case step(file: String, line: Int)
        /// Comparing or writing the goldens, after the last step.
        case goldens
    }

    /// What went wrong.
    public enum Problem: Error, Sendable, CustomStringConvertible {
        /// A job expected to succeed failed.
        case jobFailed(job: String, cause: any Error)
        /// A job expected to fail succeeded.
        case jobSucceeded(job: String)
        /// A job started by a schedule failed.
        case scheduledJobFailed(schedule: String, job: String, cause: any Error)
        /// A command expected to succeed did not exit with status 0: its name, how it ended, the
        /// end of its standard error.
        case commandFailed(name: String, ending: String, stderr: String)
        /// A command expected to fail exited with status 0.
        case commandSucceeded(name: String)
        /// A run of the automl loop failed for a reason other than a bad or missing export.
        case automlRunFailed(cause: any Error)
        /// A capture needs the job's manifest, and the job has not completed a run.
        case noManifest(job: String, key: String)
        /// A file beside the scenario (input, slice or model) cannot be read.
        case unreadableFile(path: String)
        /// A slice file is not CSV with the header `id,sentiment,text`: path, line (0 for the
        /// whole file) and what is wrong.
        case malformedSliceFile(path: String, line: Int, reason: String)
        /// Training a declared model on a slice of this many rows failed.
        case trainingFailed(slice: String, rows: Int, cause: any Error)
        /// A model file is not a valid artifact.
        case malformedModelFile(path: String, cause: any Error)
        /// A slice left with no row: how many its source had, and what removed them.
        case emptySlice(name: String, source: Int, steps: [String])
        /// An object a capture reads is not the JSON it should be.
        case malformedCapture(key: String, cause: any Error)
        /// Anything else the cloud, the corpus or the goldens threw.
        case failed(any Error)

        /// The problem, naming the job, file or object at fault.
        public var description: String {
            switch self {
            case .jobFailed(let job, let cause): "job \"\(job)\" failed: \(cause)"
            case .jobSucceeded(let job): "job \"\(job)\" was expected to fail but succeeded"
            case .scheduledJobFailed(let schedule, let job, let cause): "schedule \"\(schedule)\": job \"\(job)\" failed: \(cause)"
            case .commandFailed(let name, let ending, let stderr):
                "command \"\(name)\" failed (\(ending))"
                    + (stderr.isEmpty ? "" : "; the end of its stderr:\n" + stderr.split(separator: "\n").suffix(12).joined(separator: "\n"))
            case .commandSucceeded(let name): "command \"\(name)\" was expected to fail but exited with status 0"
            case .automlRunFailed(let cause): "the automl loop's weekly run failed: \(cause)"
            case .noManifest(let job, let key): "job \"\(job)\" has no manifest at \(key): it has not completed a run"
            case .unreadableFile(let path): "cannot read \(path)"
            case .malformedSliceFile(let path, let line, let reason): line > 0 ? "\(path): line \(line): \(reason)" : "\(path): \(reason)"
            case .malformedModelFile(let path, let cause): "model file \(path): \(cause)"
            case .trainingFailed(let slice, let rows, let cause): "training on slice \"\(slice)\" (\(rows) rows): \(cause)"
            case .emptySlice(let name, let source, let steps):
                "slice \"\(name)\" has no rows: its source has \(source)" + steps.map { ", " + $0 }.joined() + " (a slice must keep at least one row)"
            case .malformedCapture(let key, let cause): "\(key): \(cause)"
            case .failed(let error): "\(error)"
            }
        }

        /// `error` as a problem: itself when it is one, else wrapped as it is.
        static func from(_ error: any Error) -> Problem {
            (error as? Problem) ?? .failed(error)
        }
    }

    /// Where the scenario stopped.
    public let place: Place
    /// What went wrong.
    public let problem: Problem

    /// Creates an error.
    public init(place: Place, problem: Problem) {
        self.place = place
        self.problem = problem
    }

    /// `step at scenarios/batch.yaml:7: job "score" failed: …`.
    public var description: String {
        switch place {
        case .setup: "\(problem)"
        case .model(let name, let file, let line): "model \"\(name)\" at \(file):\(line): \(problem)"
        case .step(let file, let line): "step at \(file):\(line): \(problem)"
        case .goldens: "\(problem)"
        }
    }
}

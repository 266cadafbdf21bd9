/// Why a command of the user's could not be run.
enum ExecError: Error, CustomStringConvertible {
    /// The program could not be started.
    case cannotStart(program: String, reason: String)
    /// The sandbox could not be served to it over the wire.
    case endpointDidNotStart(String)

    var description: String {
        switch self {
        case .cannotStart(let program, let reason):
            "cannot start \"\(program)\": \(reason) (is it installed and on PATH, or is the path relative to the step's cwd right?)"
        case .endpointDidNotStart(let reason): "could not serve the sandbox to commands over S3/SQS: \(reason)"
        }
    }
}

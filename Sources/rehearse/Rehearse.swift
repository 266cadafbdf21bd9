import ArgumentParser
import Foundation
import Harness

/// The `rehearse` command: a thin shell over the harness, the modes and the model core.
@main
struct Rehearse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rehearse",
        abstract: "Dress-rehearse ML inference systems on one machine before they are deployed.",
        subcommands: [
            RunCommand.self,
            ListCommand.self,
            BatchCommand.self,
            ServeCommand.self,
            StreamCommand.self,
            StreamSourceCommand.self,
            StreamWorkerCommand.self,
            AutoMLCommand.self,
            DataCommand.self,
            TrainCommand.self,
            EvaluateCommand.self,
            PredictCommand.self,
            ReviewCommand.self,
            AcceptCommand.self,
            RejectCommand.self,
            CloudCommand.self,
            ModelsCommand.self,
        ]
    )

    /// Runs the command line, with one change to ArgumentParser's exit codes: a usage error
    /// (an unknown flag, a missing or invalid value) exits with 2, as the README promises and
    /// shells expect, not with 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            let message = fullMessage(for: error)
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(ExitStatus.usageError.rawValue)
        }
    }
}

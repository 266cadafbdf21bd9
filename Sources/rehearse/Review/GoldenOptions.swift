import ArgumentParser
import Foundation
import Harness

/// Options shared by the commands that look after golden files.
struct GoldenOptions: ParsableArguments {
    @Option(
        name: .customLong("golden"),
        help: ArgumentHelp("The folder holding the golden files, one subfolder per scenario.", valueName: "DIR"))
    var golden: String = "golden"

    /// The store over the chosen folder.
    var store: GoldenStore { GoldenStore(root: golden) }

    /// The process environment as the harness sees it (CI or not).
    var environment: RunEnvironment { RunEnvironment(variables: ProcessInfo.processInfo.environment) }
}

extension HarnessError {
    /// Prints the error to standard error and returns the exit code to leave with: 2 for what
    /// the user asked wrongly (unknown scenario, bad name, refused under CI), 1 for anything
    /// else (unreadable or unwritable files).
    func reportedExitCode() -> ExitCode {
        FileHandle.standardError.write(Data("error: \(description)\n".utf8))
        switch self {
        case .unknownScenarios, .refusedInCI, .invalidName: return ExitCode(ExitStatus.usageError.rawValue)
        default: return ExitCode(ExitStatus.failed.rawValue)
        }
    }
}

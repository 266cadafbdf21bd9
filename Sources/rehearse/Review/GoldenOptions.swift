import ArgumentParser
import Foundation
import Harness

/// Options shared by the commands that look after golden files.
struct GoldenOptions: ParsableArguments {
    @Option(
        name: .customLong("golden"),
        help: ArgumentHelp("The folder holding the golden files, one subfolder per scenario (default: golden).", valueName: "DIR"))
    var givenGolden: String?

    /// The golden folder: as given, else `golden`.
    var golden: String { givenGolden ?? "golden" }

    /// A golden folder that does not exist holds no pending results: a mistyped --golden is said
    /// as such rather than as nothing to do. (The default folder missing is just nothing to do.)
    func validate() throws {
        guard let golden = givenGolden else { return }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: golden, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("--golden \(golden): no such folder (the one `rehearse run --golden DIR` wrote its results to)")
        }
    }

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

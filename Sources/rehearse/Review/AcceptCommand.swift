import ArgumentParser
import Harness

/// `rehearse accept [SCENARIO…]`: accept pending results without asking.
struct AcceptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "Accept pending results: each `.new` file replaces its golden.",
        discussion: """
            Moves every pending `<capture>.<ext>.new` file of the named scenarios (of all \
            scenarios when none is named) over its golden file, and the scenario's pending \
            `_header.json.new` over its header. Review the changes with `git diff golden/` \
            before committing them. To decide file by file, use `rehearse review`.

            Example: rehearse accept batch-tweets stream-tweets
            """)

    @OptionGroup var options: GoldenOptions

    @Argument(help: ArgumentHelp("Scenarios whose pending results to accept; all when omitted.", valueName: "SCENARIO"))
    var scenarios: [String] = []

    func run() throws {
        do {
            let accepted = try Reviewer(store: options.store).accept(scenarios: scenarios, environment: options.environment)
            for result in accepted { print("accepted \(result.goldenPath)") }
            print(accepted.isEmpty ? "No pending results to accept." : "\(accepted.count) accepted")
        } catch {
            throw error.reportedExitCode()
        }
    }
}

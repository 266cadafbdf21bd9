import ArgumentParser
import Harness

/// `rehearse reject [SCENARIO…]`: discard pending results without asking.
struct RejectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: "Reject pending results: delete the `.new` files, keep the goldens.",
        discussion: """
            Deletes every pending `<capture>.<ext>.new` file (and pending header) of the \
            named scenarios, or of all scenarios when none is named. The golden files are \
            not touched, so the next `rehearse run` fails again until the code or the \
            goldens change.

            Example: rehearse reject stream-tweets
            """)

    @OptionGroup var options: GoldenOptions

    @Argument(help: ArgumentHelp("Scenarios whose pending results to reject; all when omitted.", valueName: "SCENARIO"))
    var scenarios: [String] = []

    func run() throws {
        do {
            let rejected = try Reviewer(store: options.store).reject(scenarios: scenarios, environment: options.environment)
            for result in rejected { print("rejected \(result.pendingPath)") }
            print(rejected.isEmpty ? "No pending results to reject." : "\(rejected.count) rejected")
        } catch {
            throw error.reportedExitCode()
        }
    }
}

import ArgumentParser
import Foundation
import Harness

/// `rehearse review`: walk through pending results interactively.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Show each pending result's diff and accept, reject or skip it.",
        discussion: """
            When a scenario's output differs from its golden file (or has none yet), \
            `rehearse run` writes the new output beside the golden as a pending file, \
            `<capture>.jsonl.new` or `<capture>.txt.new`. This command shows each pending \
            file as a diff against its golden and asks what to do:

              a  accept: the pending file replaces the golden (commit it afterwards)
              r  reject: the pending file is deleted, the golden stays
              s  skip:   decide later
              q  quit:   skip everything that is left

            Use --list to only list what is pending. Refuses to run when the CI \
            environment variable is set (nothing is written under CI) or when standard \
            input is not a terminal. To decide a whole \
            scenario at once, use `rehearse accept` or `rehearse reject`.
            """)

    @OptionGroup var options: GoldenOptions

    @Flag(help: "List the pending files and exit without asking anything.")
    var list = false

    func run() throws {
        // Under CI the reviewer refuses anyway; say that reason rather than the terminal's.
        if !list && isatty(STDIN_FILENO) == 0 && !options.environment.isCI {
            Console.note("error: rehearse review asks on a terminal, and standard input is not one; "
                         + "use rehearse accept or rehearse reject [SCENARIO…] instead (or --list)")
            throw ExitCode(ExitStatus.usageError.rawValue)
        }
        let reviewer = Reviewer(store: options.store)
        do {
            if list {
                let pending = try reviewer.pending()
                if pending.isEmpty { print("No pending results in \(options.golden).") }
                for result in pending { print(result.pendingPath) }
                return
            }
            let console = ReviewConsole(
                readLine: { Swift.readLine(strippingNewline: true) },
                write: { text in
                    FileHandle.standardOutput.write(Data(text.utf8))
                },
                colour: isatty(STDOUT_FILENO) != 0)
            _ = try reviewer.review(console: console, environment: options.environment)
        } catch {
            throw error.reportedExitCode()
        }
    }
}

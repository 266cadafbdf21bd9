import ArgumentParser
import Harness

/// `rehearse list`: show the scenarios a run would rehearse.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List scenarios: name, tags, captures and description.",
        discussion: """
            Loads and checks every scenario file (a broken one is reported with its file, \
            line and column, and the exit status is 2), then prints one line per selected \
            scenario. Takes the same paths, --filter, --tag and --shard as `rehearse run`; as \
            there, selecting none (outside a --shard part) is an error (exit status 2).

            Example: rehearse list --tag batch
            """)

    @OptionGroup var selection: ScenarioSelection

    func run() throws {
        let (_, selected) = try selection.loadSome()
        for scenario in selected {
            let tags = scenario.tags.isEmpty ? "" : " [\(scenario.tags.joined(separator: ", "))]"
            let description = scenario.description.isEmpty ? "" : " — " + scenario.description
            print("\(scenario.name)\(tags): \(scenario.captures.count) capture\(scenario.captures.count == 1 ? "" : "s")\(description)")
        }
        if selected.isEmpty { print("No scenarios in this part.") }
    }
}

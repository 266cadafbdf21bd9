import ArgumentParser
import Harness

/// Which scenarios a command works on: paths plus name and tag filters.
struct ScenarioSelection: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "Scenario files, or folders searched for *.yaml (default: scenarios/).", valueName: "SCENARIO|DIR"))
    var paths: [String] = []

    @Option(name: .customLong("filter"), help: ArgumentHelp(
        "Only scenarios whose name contains this text (repeat for several).", valueName: "NAME"))
    var names: [String] = []

    @Option(name: .customLong("tag"), help: ArgumentHelp(
        "Only scenarios carrying this tag (repeat for several; any one matches).", valueName: "TAG"))
    var tags: [String] = []

    /// Every scenario found (checked), and the selected ones; scenario-file errors exit with 2.
    func load() throws -> (catalog: ScenarioCatalog, selected: [Scenario]) {
        do {
            let catalog = try ScenarioCatalog(paths: paths.isEmpty ? ["scenarios"] : paths)
            return (catalog, catalog.selecting(names: names, tags: tags))
        } catch {
            Console.note(error.errors.map { "error: \($0)" }.joined(separator: "\n"))
            throw ExitCode(ExitStatus.usageError.rawValue)
        }
    }

    /// Whether a filter narrows the selection (then unreferenced goldens are not judged).
    var isFiltered: Bool { !names.isEmpty || !tags.isEmpty }
}

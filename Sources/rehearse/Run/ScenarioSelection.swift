import ArgumentParser
import Foundation
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

    /// Whether the run covers whole scenario folders with no filter, so that a golden no
    /// scenario captures is truly unreferenced (a run of single files or a filtered run cannot
    /// tell).
    var coversWholeFolders: Bool {
        names.isEmpty && tags.isEmpty && (paths.isEmpty ? ["scenarios"] : paths).allSatisfy { path in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
        }
    }
}

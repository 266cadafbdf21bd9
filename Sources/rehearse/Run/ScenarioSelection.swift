import ArgumentParser
import Foundation
import Harness

/// Which scenarios a command works on: paths plus name and tag filters.
struct ScenarioSelection: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "Scenario files, or folders searched for *.yaml and *.yml, subfolders too (default: scenarios/).", valueName: "SCENARIO|DIR"))
    var paths: [String] = []

    @Option(name: .customLong("filter"), help: ArgumentHelp(
        "Only scenarios whose name contains this text (repeat for several).", valueName: "NAME"))
    var names: [String] = []

    @Option(name: .customLong("tag"), help: ArgumentHelp(
        "Only scenarios carrying this tag (repeat for several; any one matches).", valueName: "TAG"))
    var tags: [String] = []

    @Option(help: ArgumentHelp(
        "Only part K of the selected scenarios split in N parts by a stable hash of their names (for CI matrices; the same N always gives the same parts).",
        valueName: "K/N"))
    var shard: String?

    /// The `--shard` part, if one was asked for (checked by `validate`).
    var scenarioShard: ScenarioShard? { shard.flatMap { try? ScenarioShard(parsing: $0) } }

    func validate() throws {
        // An empty filter (an unset variable in a CI script, say) is a mistake, not a choice.
        if names.contains("") { throw ValidationError("--filter needs part of a scenario name; got an empty one") }
        if tags.contains("") { throw ValidationError("--tag needs a tag; got an empty one") }
        if let shard {
            do { _ = try ScenarioShard(parsing: shard) } catch { throw ValidationError("--shard \(error)") }
        }
    }

    /// Every scenario found (checked), and the selected ones (of the `--shard` part only, when
    /// one is given); scenario-file errors exit with 2.
    func load() throws -> (catalog: ScenarioCatalog, selected: [Scenario]) {
        do {
            let catalog = try ScenarioCatalog(paths: paths.isEmpty ? ["scenarios"] : paths)
            let selected = catalog.selecting(names: names, tags: tags)
            return (catalog, scenarioShard.map { shard in selected.filter { shard.contains($0.name) } } ?? selected)
        } catch {
            Console.note(error.errors.map { "error: \($0)" }.joined(separator: "\n"))
            throw ExitCode(ExitStatus.usageError.rawValue)
        }
    }

    /// The selected scenarios, as `load`; when none is selected (and no `--shard` part was
    /// asked for: a part may hold none), says why — no scenario file, or none matching the
    /// filters — and exits with 2.
    func loadSome() throws -> (catalog: ScenarioCatalog, selected: [Scenario]) {
        let (catalog, selected) = try load()
        guard selected.isEmpty && scenarioShard == nil else { return (catalog, selected) }
        let searched = (paths.isEmpty ? ["scenarios"] : paths).joined(separator: " ")
        Console.note(catalog.scenarios.isEmpty ? "error: no scenario file (*.yaml, *.yml) in \(searched)"
                                               : "error: no scenario matches the filters")
        throw ExitCode(ExitStatus.usageError.rawValue)
    }

    /// Whether the run covers whole scenario folders with no filter, so that a golden no
    /// scenario captures is truly unreferenced (a run of single files or a filtered run cannot
    /// tell). A `--shard` run still qualifies: it judges only the golden folders of its part.
    var coversWholeFolders: Bool {
        names.isEmpty && tags.isEmpty && (paths.isEmpty ? ["scenarios"] : paths).allSatisfy { path in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
        }
    }
}

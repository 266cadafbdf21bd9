import ArgumentParser
import Determinism
import Foundation
import Harness

/// `rehearse run`: rehearse scenarios and check every capture against its golden file.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Rehearse scenarios in fresh emulated clouds and compare every capture with its golden file.",
        discussion: """
            Each scenario (a scenarios/*.yaml file; see docs/scenarios.md) runs in its own \
            sandbox: a new object store, queue and scheduler in a temporary folder, on a \
            virtual clock that starts where the scenario says. Its steps run in order, and \
            every capture is compared with golden/<scenario>/<capture>.jsonl (or .txt).

            Modes, as in insta:
              rehearse run             check; a differing or missing result is written as a
                                       pending <capture>.<ext>.new file and fails the run
              rehearse run --update    rewrite goldens that differ or are missing
              CI=1 rehearse run        never writes anything; a missing golden fails
            Then `rehearse review` (or `accept` / `reject`) decides about pending files.

            Exit status: 0 when every scenario passed, 1 when one failed, 2 for a usage \
            or scenario-file error (nothing is run then).

            Sandboxes live under $TMPDIR/rehearse-sandboxes-<uid> and are removed when the run \
            ends, is interrupted (Ctrl-C) or terminated; those of a run killed outright \
            (kill -9) are removed by the next run.

            Online scenarios start `rehearse serve` as a child process for each service they \
            declare; --target NAME=URL sends that service's steps to one already running \
            instead (your own service, or a staging deployment that speaks KServe V2), and \
            the goldens are compared as usual.

            --cost PRICES.yaml adds each scenario's estimated bill to the reports: object \
            requests by class, GB-months stored on the virtual clock, queue requests in 64 KiB \
            chunks, the vCPU-seconds services and streaming workers are up on the virtual \
            clock, and job compute measured on this machine. docs/prices/aws-us-east-1.yaml \
            is the shipped sheet; a `cost` capture keeps the deterministic part as a golden.

            A large suite can be split over machines: --shard K/N rehearses only part K \
            of N, chosen by a stable hash of each scenario's name, so N jobs with \
            --shard 1/N … N/N together rehearse every scenario exactly once.

            Examples:
              rehearse run
              rehearse run scenarios/batch-tweets.yaml --update
              rehearse run --tag batch --jobs 2 --junit report.xml
              rehearse run --filter rerun --keep
              rehearse run --shard 2/4 --junit shard-2.xml
              rehearse run --cost docs/prices/aws-us-east-1.yaml
              rehearse run scenarios/online-tweets.yaml --target api=http://127.0.0.1:8080
              rehearse cloud ls --root <the kept sandbox> lake
            """)

    @OptionGroup var selection: ScenarioSelection

    @Option(name: .customLong("golden"), help: ArgumentHelp("The folder holding the golden files (default: golden, in the current folder).", valueName: "DIR"))
    var goldenFolder: String?

    @Flag(help: "Rewrite goldens that differ or are missing (ignored under CI, which never writes).")
    var update = false

    @Option(parsing: .unconditional, help: ArgumentHelp("How many scenarios to rehearse at once, each in its own sandbox.", valueName: "N"))
    var jobs = 1

    @Flag(help: "Keep each scenario's sandbox folder and print where it is, for `rehearse cloud --root`. A run stopped by a signal keeps nothing.")
    var keep = false

    @Option(help: ArgumentHelp(
        "What to do with golden files no scenario captures: warn, fail or delete (default: warn; fail under CI). Judged only when whole scenario folders run unfiltered, and then only the golden folders of the scenarios loaded, unless the run names no scenario paths (so runs scenarios/) or names a --golden folder of its own (not golden/).",
        valueName: "POLICY"))
    var unreferenced: String?

    @Option(help: ArgumentHelp("Also write a JUnit XML report to this file.", valueName: "FILE"))
    var junit: String?

    @Option(help: ArgumentHelp("Also write a JSON report to this file.", valueName: "FILE"))
    var json: String?

    @Option(help: ArgumentHelp("Also write an HTML report, DIR/index.html, with a chart of each automl loop's hit rate per week (created if missing).", valueName: "DIR"))
    var report: String?

    @Option(help: ArgumentHelp("The tweet corpus CSV (default: the cached copy, fetched if missing).", valueName: "FILE"))
    var corpus: String?

    @Option(help: ArgumentHelp("Colour the report: auto (on a terminal), always or never.", valueName: "WHEN"))
    var colour = "auto"

    @Option(help: ArgumentHelp("Estimate each scenario's bill at the prices in this sheet and show it in the reports.",
                               valueName: "PRICES.yaml"))
    var cost: String?

    @Option(name: .customLong("target"), help: ArgumentHelp(
        "Send a service's steps to a service already running at URL instead of starting one (repeatable).",
        valueName: "NAME=URL"))
    var targets: [String] = []

    /// `--target` values by service name.
    var targetURLs: [String: String] {
        Dictionary(targets.compactMap { target in
            target.firstIndex(of: "=").map { (String(target[..<$0]), String(target[target.index(after: $0)...])) }
        }) { _, last in last }
    }

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if let unreferenced, UnreferencedPolicy(rawValue: unreferenced) == nil {
            throw ValidationError("--unreferenced is warn, fail or delete, not \"\(unreferenced)\"")
        }
        guard ["auto", "always", "never"].contains(colour) else { throw ValidationError("--colour is auto, always or never") }
        for target in targets {
            guard let equals = target.firstIndex(of: "="), equals != target.startIndex,
                  let url = URL(string: String(target[target.index(after: equals)...])), url.scheme == "http" || url.scheme == "https",
                  url.host != nil else {
                throw ValidationError("--target is NAME=URL, such as api=http://127.0.0.1:8080, not \"\(target)\"")
            }
        }
        // A report that cannot be written should stop the run before it starts, not after.
        for (flag, path) in [("--junit", junit), ("--json", json)] {
            guard let path else { continue }
            let folder = PathText.parent(of: path)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("\(flag) \(path): the folder \(folder) does not exist")
            }
        }
        for (flag, folder) in [("--report", report), ("--golden", goldenFolder)] {
            guard let folder else { continue }
            // The folder is created if missing, so the nearest existing one on its path must be a folder.
            let existing = FileAccess.nearestExisting(folder)
            if !existing.isFolder { throw ValidationError("\(flag) \(folder): \(existing.path) is a file, not a folder") }
        }
    }

    /// Refuses `--target` names that no selected scenario declares as a service: a typo must not
    /// quietly rehearse a local service in place of the one meant.
    private func checkTargets(_ selected: [Scenario]) throws {
        let services = Set(selected.flatMap { $0.services.map(\.name) })
        for name in targetURLs.keys.sorted() where !services.contains(name) {
            let known = services.isEmpty ? "they declare no service" : "their services: " + services.sorted().joined(separator: ", ")
            Console.note("error: --target \(name): no selected scenario has a service named \"\(name)\" (\(known))")
            throw ExitCode(ExitStatus.usageError.rawValue)
        }
    }

    func run() throws {
        // A part of a split suite may hold no scenario at all; that is a passing part, not a mistake.
        let (catalog, selected) = try selection.loadSome()
        if let shard = selection.scenarioShard {
            Console.note("shard \(shard): \(selected.count) of the selected scenarios")
        }
        try checkTargets(selected)
        var prices: PriceSheet?
        if let cost {
            do { prices = try PriceSheet.load(path: cost) } catch {
                Console.note("error: --cost: \(error)")
                throw ExitCode(ExitStatus.usageError.rawValue)
            }
        }
        let environment = RunEnvironment(variables: ProcessInfo.processInfo.environment)
        if update && environment.isCI { Console.note("note: --update is ignored when CI is set: nothing is written") }
        let store = GoldenStore(root: goldenFolder ?? "golden")
        if goldenFolder == nil, !Self.isFolder("golden") {
            // Goldens are found relative to where `rehearse` runs, not to the scenario files.
            let use = environment.isCI ? "read from ./golden" : "read from (and pending files written to) ./golden"
            Console.note("note: there is no golden/ folder in \(FileManager.default.currentDirectoryPath): this run's goldens are \(use); "
                         + "run from your project's root folder, or name one with --golden DIR")
        }
        let sandboxes: RunSandboxes
        do { sandboxes = try RunSandboxes() } catch { throw error.reportedExitCode() }
        let progress = RunProgress(total: selected.count)
        // Ctrl-C or SIGTERM removes this run's sandboxes (after kill -9 the next run does), once
        // the goldens being written are whole.
        let goldenWrites = GoldenWriteGate()
        let signals = SignalCleanup { signal in
            progress.interrupted(by: signal == SIGINT ? "interrupted" : "terminated")
            ServiceProcess.killAll()
            CommandProcess.killAll()
            goldenWrites.close()
            sandboxes.abandon()
        }
        var options = ScenarioRunner.Options(
            mode: update ? .update : .check, environment: environment, parallelScenarios: jobs, keepSandboxes: keep,
            sandboxParent: sandboxes.folder, targets: targetURLs, rehearseExecutable: RehearseExecutable.current, prices: prices)
        options.runSandboxes = sandboxes
        options.goldenWrites = goldenWrites
        let runner = ScenarioRunner(goldens: store, data: DataSource(corpusPath: corpus), options: options)
        let results = runner.run(selected) { progress.finished($0) }
        signals.cancel()
        progress.finish()
        sandboxes.finish(keep: keep)
        for result in results {
            if let sandbox = result.sandbox { Console.note("kept sandbox of \(result.report.name): \(sandbox)") }
        }
        let reports = results.map(\.report)

        var unreferencedGoldens: UnreferencedGoldens?
        if selection.coversWholeFolders {
            let policy = UnreferencedPolicy.effective(requested: unreferenced.flatMap(UnreferencedPolicy.init(rawValue:)), environment: environment)
            var referenced: Set<GoldenKey> = []
            for scenario in catalog.scenarios {
                for capture in scenario.captures {
                    if let key = try? GoldenKey(scenario: scenario.name, capture: capture.name, format: capture.source.goldenFormat) {
                        referenced.insert(key)
                    }
                }
            }
            // Only a run of the whole suite (the default scenarios/, or folders paired with their
            // own --golden folder) may judge golden folders of scenarios it did not load; a
            // --golden that is golden/ itself pairs with scenarios/, not with the paths given.
            let pairedGoldens = goldenFolder.map { Self.canonicalPath($0) != Self.canonicalPath("golden") } ?? false
            let wholeSuite = selection.paths.isEmpty || pairedGoldens
            do {
                unreferencedGoldens = try UnreferencedGoldens.apply(
                    policy, store: store, referenced: referenced,
                    onlyScenarios: wholeSuite ? nil : Set(catalog.scenarios.map(\.name)), shard: selection.scenarioShard)
            } catch {
                throw error.reportedExitCode()
            }
        }

        let colourOn = colour == "always" || (colour == "auto" && isatty(STDOUT_FILENO) != 0)
        print(TerminalReporter(colour: colourOn).render(reports, unreferenced: unreferencedGoldens), terminator: "")
        do {
            if let report { try writeHTMLReport(reports, scenarios: selected, unreferenced: unreferencedGoldens, folder: report) }
            if let junit { try Data(JUnitReporter.render(reports, unreferenced: unreferencedGoldens).utf8).write(to: URL(fileURLWithPath: junit)) }
            if let json { try Data(JSONReporter.render(reports, unreferenced: unreferencedGoldens).utf8).write(to: URL(fileURLWithPath: json)) }
        } catch {
            Console.note("error: cannot write the report (\([report, junit, json].compactMap { $0 }.joined(separator: " "))): \(error.localizedDescription)")
            throw ExitCode(ExitStatus.failed.rawValue)
        }
        let status = ExitStatus.of(reports, unreferenced: unreferencedGoldens)
        if status != .passed { throw ExitCode(status.rawValue) }
    }

    /// Whether `path` is a folder (or a link to one).
    private static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// `path` absolute, without `.`, `..` or symbolic links.
    private static func canonicalPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// `folder/index.html`: every scenario's status, and a chart of each `weeks` capture.
    private func writeHTMLReport(_ reports: [ScenarioReport], scenarios: [Scenario], unreferenced: UnreferencedGoldens?, folder: String) throws {
        var tables: [HTMLReporter.WeeklyTable] = []
        for (scenario, report) in zip(scenarios, reports) {
            for capture in scenario.captures {
                guard case .weeks = capture.source,
                      let outcome = report.captures.first(where: { $0.comparison.key.capture == capture.name }) else { continue }
                tables.append(.init(scenario: scenario.name, capture: capture.name, text: outcome.comparison.actualText))
            }
        }
        let url = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try Data(HTMLReporter.render(reports, weeklyTables: tables, unreferenced: unreferenced).utf8).write(to: url.appendingPathComponent("index.html"))
    }
}

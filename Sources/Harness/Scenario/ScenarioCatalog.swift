import Foundation

/// Finds scenario files, loads them all, and selects by name or tag: what `rehearse run` and
/// `rehearse list` start from.
public struct ScenarioCatalog: Sendable {
    /// Every scenario found, sorted by name.
    public let scenarios: [Scenario]

    /// Loads `*.yaml` / `*.yml` files: each path is a file or a folder (searched recursively,
    /// in name order, skipping names that start with `.`).
    /// - Throws: every `ScenarioError` found (all files are checked before anything runs), or
    ///   one for a path that does not exist or a scenario name used twice.
    public init(paths: [String]) throws(ScenarioErrors) {
        var errors: [ScenarioError] = []
        var scenarios: [Scenario] = []
        for file in Self.files(in: paths, errors: &errors) {
            do { scenarios.append(try ScenarioParser.load(path: file)) } catch { errors.append(error) }
        }
        var seen: [String: Scenario] = [:]
        for scenario in scenarios {
            if let other = seen[scenario.name] {
                let place = "\(other.file):\(other.nameLocation.line):\(other.nameLocation.column)"
                errors.append(ScenarioError(file: scenario.file, line: scenario.nameLocation.line, column: scenario.nameLocation.column,
                    message: "scenario name \"\(scenario.name)\" is also used by \(place); golden folders must not be shared"))
            } else {
                seen[scenario.name] = scenario
            }
        }
        guard errors.isEmpty else { throw ScenarioErrors(errors: errors) }
        self.scenarios = scenarios.sorted { $0.name < $1.name }
    }

    /// The scenarios whose name contains one of `names` (all when empty) and that carry one of
    /// `tags` (any when empty).
    public func selecting(names: [String], tags: [String]) -> [Scenario] {
        scenarios.filter { scenario in
            (names.isEmpty || names.contains { scenario.name.contains($0) })
                && (tags.isEmpty || tags.contains { scenario.tags.contains($0) })
        }
    }

    private static func files(in paths: [String], errors: inout [ScenarioError]) -> [String] {
        var files: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                errors.append(ScenarioError(file: path, line: 0, column: 0, message: "no such scenario file or folder"))
                continue
            }
            guard isFolder.boolValue else { files.append(path); continue }
            // Hidden files and folders (`.git/`, an editor's `.#name.yaml` lock) are not scenarios.
            let found = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                .filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.split(separator: "/").contains { $0.hasPrefix(".") } }
                .sorted()
            files += found.map { (path as NSString).appendingPathComponent($0) }
        }
        // A file named twice (or named and inside a folder named) is one scenario, read once.
        var seen: Set<String> = []
        return files.filter { seen.insert(URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path).inserted }
    }
}

/// Every problem found in the scenario files of a run.
public struct ScenarioErrors: Error, CustomStringConvertible {
    /// Every problem, in file order.
    public let errors: [ScenarioError]

    /// One problem per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Golden files that no scenario of the suite captures any more, and what was done about them.
///
/// Only run this after the whole suite ran: a run of some scenarios references only theirs.
/// Golden-shaped files (`*.jsonl`, `*.txt`, their `.new` forms) whose key was not captured
/// count, as does a scenario's header (and pending header) when none of its captures remains.
/// Other files in the golden folder are never reported or deleted.
public struct UnreferencedGoldens: Sendable, Equatable {
    /// The unreferenced files' paths, sorted.
    public let paths: [String]
    /// The policy that was applied.
    public let policy: UnreferencedPolicy

    /// Whether the run must fail because of them.
    public var fails: Bool { policy == .fail && !paths.isEmpty }

    /// Finds the unreferenced files under `store` and applies `policy` (deleting them for
    /// `.delete`, and then any scenario folder left empty).
    ///
    /// - Parameters:
    ///   - referenced: every golden the suite's scenarios captured in this run.
    ///   - onlyScenarios: when the run loaded only part of the suite, the scenarios it loaded:
    ///     only their golden folders are judged (a folder of a scenario the run never saw may
    ///     belong to one elsewhere). Nil judges every folder under `store`.
    ///   - shard: when the run is one part of a split suite, only the golden folders whose name
    ///     falls in that part are judged, so that the parts together report each file once and
    ///     no part judges another's scenarios.
    public static func apply(
        _ policy: UnreferencedPolicy, store: GoldenStore, referenced: Set<GoldenKey>, onlyScenarios: Set<String>? = nil,
        shard: ScenarioShard? = nil
    ) throws(HarnessError) -> UnreferencedGoldens {
        var paths: [String] = []
        var emptied: [String] = []
        for scenario in try store.scenarios()
        where (onlyScenarios?.contains(scenario) ?? true) && (shard?.contains(scenario) ?? true) {
            let names = try store.fileNames(scenario: scenario)
            let scenarioReferenced = referenced.contains { $0.scenario == scenario }
            var unreferenced: [String] = []
            for name in names {
                if let (key, _) = GoldenStore.key(scenario: scenario, fileName: name) {
                    if !referenced.contains(key) { unreferenced.append(name) }
                } else if name == GoldenStore.headerFileName || name == GoldenStore.headerFileName + GoldenStore.pendingSuffix {
                    if !scenarioReferenced { unreferenced.append(name) }
                }
            }
            paths += unreferenced.map { store.folder(scenario: scenario) + "/" + $0 }
            if unreferenced.count == names.count && !names.isEmpty { emptied.append(scenario) }
        }
        if policy == .delete {
            for path in paths { try store.remove(path: path) }
            for scenario in emptied { try store.remove(path: store.folder(scenario: scenario)) }
        }
        return UnreferencedGoldens(paths: paths, policy: policy)
    }

    /// Creates a result; ``apply(_:store:referenced:)`` is the usual way to get one.
    public init(paths: [String], policy: UnreferencedPolicy) {
        self.paths = paths
        self.policy = policy
    }

    /// Report lines: one per file, saying what was done, e.g.
    /// `unreferenced golden golden/old/out.jsonl (deleted)`.
    public var lines: [String] {
        let suffix =
            switch policy {
            case .warn: " (warning; remove it or run with --unreferenced=delete)"
            case .fail: " (fails the run)"
            case .delete: " (deleted)"
            }
        return paths.map { "unreferenced golden \($0)\(suffix)" }
    }
}

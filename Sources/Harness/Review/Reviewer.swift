import Foundation

/// Lists, accepts and rejects pending `.new` results, one by one or a scenario at a time.
///
/// Accepting moves `<file>.new` over `<file>`; rejecting deletes `<file>.new`. A scenario's
/// pending header (`_header.json.new`) follows its captures: it is accepted when any capture
/// of the scenario is, and deleted once nothing of the scenario is pending any more.
public struct Reviewer: Sendable {
    /// Where goldens live.
    public let store: GoldenStore

    /// Creates a reviewer over a golden store.
    public init(store: GoldenStore) {
        self.store = store
    }

    /// The pending results of the named scenarios (all scenarios when `scenarios` is empty),
    /// sorted by scenario, then file name.
    ///
    /// - Throws: ``HarnessError/unknownScenarios(_:goldenRoot:)`` when a named scenario has no
    ///   folder in the golden root.
    public func pending(scenarios: [String] = []) throws(HarnessError) -> [PendingResult] {
        let existing = try store.scenarios()
        let unknown = scenarios.filter { !existing.contains($0) }
        if !unknown.isEmpty { throw .unknownScenarios(unknown, goldenRoot: store.root) }
        let chosen = scenarios.isEmpty ? existing : existing.filter { scenarios.contains($0) }
        var results: [PendingResult] = []
        for scenario in chosen {
            for name in try store.fileNames(scenario: scenario) {
                guard let (key, isPending) = GoldenStore.key(scenario: scenario, fileName: name), isPending else { continue }
                results.append(PendingResult(key: key, pendingPath: store.pendingPath(key), goldenPath: store.goldenPath(key)))
            }
        }
        return results
    }

    /// Moves every pending result of the named scenarios (all when empty) over its golden.
    /// - Throws: ``HarnessError/refusedInCI(_:)`` under CI, where nothing may be written.
    @discardableResult
    public func accept(scenarios: [String] = [], environment: RunEnvironment) throws(HarnessError) -> [PendingResult] {
        if environment.isCI { throw .refusedInCI("accept pending results") }
        let results = try pending(scenarios: scenarios)
        for result in results { try store.promote(pendingPath: result.pendingPath) }
        for scenario in Self.scenarios(of: results) { try settleHeader(scenario: scenario, anyAccepted: true) }
        return results
    }

    /// Deletes every pending result of the named scenarios (all when empty).
    /// - Throws: ``HarnessError/refusedInCI(_:)`` under CI, where nothing may be written.
    @discardableResult
    public func reject(scenarios: [String] = [], environment: RunEnvironment) throws(HarnessError) -> [PendingResult] {
        if environment.isCI { throw .refusedInCI("reject pending results") }
        let results = try pending(scenarios: scenarios)
        for result in results { try store.remove(path: result.pendingPath) }
        for scenario in Self.scenarios(of: results) { try settleHeader(scenario: scenario, anyAccepted: false) }
        return results
    }

    /// Shows each pending diff and asks accept, reject or skip (`a`, `r`, `s`; `q` skips the
    /// rest; end of input counts as `q`).
    ///
    /// - Throws: ``HarnessError/refusedInCI(_:)`` under CI, where review cannot be answered
    ///   and nothing may be written.
    public func review(console: ReviewConsole, environment: RunEnvironment) throws(HarnessError) -> ReviewSummary {
        if environment.isCI { throw .refusedInCI("review pending results interactively") }
        let results = try pending()
        var summary = ReviewSummary()
        if results.isEmpty {
            console.write("No pending results in \(store.root).\n")
            return summary
        }
        var quitting = false
        for (position, result) in results.enumerated() {
            if quitting {
                summary.skipped.append(result.key)
                continue
            }
            try show(result, position: position + 1, of: results.count, console: console)
            switch ask(console) {
            case .accept:
                try store.promote(pendingPath: result.pendingPath)
                summary.accepted.append(result.key)
            case .reject:
                try store.remove(path: result.pendingPath)
                summary.rejected.append(result.key)
            case .skip:
                summary.skipped.append(result.key)
            case .quit:
                quitting = true
                summary.skipped.append(result.key)
            }
        }
        for scenario in Self.scenarios(of: results) {
            try settleHeader(scenario: scenario, anyAccepted: summary.accepted.contains { $0.scenario == scenario })
        }
        console.write(summary.line + "\n")
        return summary
    }

    private enum Answer { case accept, reject, skip, quit }

    private func show(_ result: PendingResult, position: Int, of total: Int, console: ReviewConsole) throws(HarnessError) {
        let golden = try store.readGolden(result.key)
        let pending = try store.readPending(result.key) ?? ""
        let diff = UnifiedDiff.make(
            old: golden ?? "", new: pending,
            oldLabel: golden == nil ? "\(result.goldenPath) (no golden yet)" : result.goldenPath,
            newLabel: result.pendingPath)
        console.write("[\(position)/\(total)] \(result.key.relativePath)\n")
        console.write(diff.isEmpty ? "(pending result equals the golden)\n" : console.colour ? DiffColouring.colour(diff) : diff)
    }

    private func ask(_ console: ReviewConsole) -> Answer {
        while true {
            console.write("accept (a), reject (r), skip (s), quit (q)? ")
            guard let line = console.readLine() else {
                console.write("\n")
                return .quit
            }
            switch line.trimmingCharacters(in: .whitespaces).lowercased() {
            case "a", "accept": return .accept
            case "r", "reject": return .reject
            case "s", "skip": return .skip
            case "q", "quit": return .quit
            default: console.write("Please answer a, r, s or q.\n")
            }
        }
    }

    /// Accepts the scenario's pending header when any capture was accepted; deletes it once
    /// nothing of the scenario is pending and nothing was accepted.
    private func settleHeader(scenario: String, anyAccepted: Bool) throws(HarnessError) {
        let pendingHeader = store.headerPath(scenario: scenario) + GoldenStore.pendingSuffix
        guard FileManager.default.fileExists(atPath: pendingHeader) else { return }
        if anyAccepted {
            try store.promote(pendingPath: pendingHeader)
        } else if try pending(scenarios: [scenario]).isEmpty {
            try store.remove(path: pendingHeader)
        }
    }

    private static func scenarios(of results: [PendingResult]) -> [String] {
        var seen: [String] = []
        for result in results where seen.last != result.key.scenario { seen.append(result.key.scenario) }
        return seen
    }
}

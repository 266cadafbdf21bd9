/// Compares a scenario's captures with their goldens and writes what the mode and the
/// environment allow: the one entry point the runner calls per scenario.
///
/// | comparison | check                | update              | CI (either mode) |
/// |------------|----------------------|---------------------|------------------|
/// | matched    | remove stale `.new`  | remove stale `.new` | nothing          |
/// | differs    | write `.new` (fails) | rewrite golden      | nothing (fails)  |
/// | missing    | write `.new` (fails) | write golden        | nothing (fails)  |
///
/// A conflicted golden counts as missing; a malformed one as differing. Within tolerance a
/// golden is never rewritten. The scenario header is written beside whatever is written:
/// `_header.json` with goldens, `_header.json.new` with pending files (unless it equals the
/// `_header.json` already there). A check touches only
/// its scenario's folder, so different scenarios may be checked concurrently.
public struct GoldenKeeper: Sendable {
    /// Where goldens live.
    public let store: GoldenStore
    /// Check or update.
    public let mode: GoldenMode
    /// Whether writing is allowed at all.
    public let environment: RunEnvironment
    /// Held while a scenario's files are written (see `GoldenWriteGate`).
    public let gate: GoldenWriteGate

    /// Creates a keeper.
    public init(store: GoldenStore, mode: GoldenMode, environment: RunEnvironment, gate: GoldenWriteGate = GoldenWriteGate()) {
        self.store = store
        self.mode = mode
        self.environment = environment
        self.gate = gate
    }

    /// Compares each capture of `scenario` with its golden, writes what the mode allows, and
    /// returns one outcome per capture in the order given.
    ///
    /// - Throws: ``HarnessError/invalidName(_:_:reason:)`` for a bad or repeated capture name,
    ///   ``HarnessError/normalisationOnText(_:)``, or an I/O error naming the file.
    public func check(scenario: String, header: GoldenHeader, captures: [ScenarioCapture]) throws(HarnessError) -> [CaptureOutcome] {
        try GoldenKey.validate(scenario, kind: "scenario")
        // Compare everything before writing anything, so a bad capture leaves no files behind.
        var seen: Set<String> = []
        var comparisons: [CaptureComparison] = []
        for capture in captures {
            guard seen.insert(capture.name).inserted else {
                throw .invalidName("capture", capture.name, reason: "scenario \"\(scenario)\" captures it twice")
            }
            let key = try GoldenKey(scenario: scenario, capture: capture.name, format: capture.capture.format)
            comparisons.append(try Comparator.compare(
                capture.capture, golden: try store.readGolden(key), key: key,
                normalisation: capture.normalisation, goldenLabel: store.goldenPath(key)))
        }
        return try gate.whileOpen { () throws(HarnessError) -> [CaptureOutcome] in
            var outcomes: [CaptureOutcome] = []
            for comparison in comparisons {
                outcomes.append(CaptureOutcome(
                    comparison: comparison, action: try act(on: comparison), goldenPath: store.goldenPath(comparison.key)))
            }
            try writeHeader(header, scenario: scenario, outcomes: outcomes)
            return outcomes
        }
    }

    private func act(on comparison: CaptureComparison) throws(HarnessError) -> CaptureOutcome.Action {
        guard !environment.isCI else { return .none }
        let key = comparison.key
        if comparison.status == .matched {
            return try store.remove(path: store.pendingPath(key)) ? .removedStalePending : .none
        }
        switch mode {
        case .check:
            try store.writePending(key, text: comparison.actualText)
            return .wrotePending
        case .update:
            try store.writeGolden(key, text: comparison.actualText)
            try store.remove(path: store.pendingPath(key))
            return .wroteGolden
        }
    }

    private func writeHeader(_ header: GoldenHeader, scenario: String, outcomes: [CaptureOutcome]) throws(HarnessError) {
        guard !environment.isCI else { return }
        if outcomes.contains(where: { $0.action == .wroteGolden }) {
            try store.writeHeader(header, scenario: scenario, pending: false)
        }
        let pendingHeader = store.headerPath(scenario: scenario) + GoldenStore.pendingSuffix
        if outcomes.contains(where: { $0.action == .wrotePending }) {
            // A pending header equal to the golden one would be a pending change that changes
            // nothing: write it only when it says something new.
            if (try? store.readHeader(scenario: scenario)) == header {
                try store.remove(path: pendingHeader)
            } else {
                try store.writeHeader(header, scenario: scenario, pending: true)
            }
        } else {
            let anyPending = try store.fileNames(scenario: scenario).contains {
                GoldenStore.key(scenario: scenario, fileName: $0)?.pending == true
            }
            if !anyPending { try store.remove(path: pendingHeader) }
        }
    }
}

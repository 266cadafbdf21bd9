import JSON

/// The machine-readable report: one canonical JSON document.
///
/// `{"failed":N,"passed":N,"scenarios":[{"captures":[{"action":…,"diff":…,"file":…,
/// "passed":…,"status":…}],"duration_ms":N,"error":null|"…","name":…,"passed":…,"status":"PASS"}]}`,
/// plus `"unreferenced":{"files":[…],"fails_run":…,"policy":…}` when golden folders were judged.
/// Capture `status` is `matched`, `differs`, `missing`, `conflicted` or `malformed`; `action`
/// is `none`, `wrote-pending`, `wrote-golden` or `removed-stale-pending`.
public enum JSONReporter {
    /// The report as a JSON value.
    public static func value(_ reports: [ScenarioReport], unreferenced: UnreferencedGoldens? = nil) -> JSONValue {
        let summary = RunSummary(reports)
        var document: [String: JSONValue] = [
            "passed": .number(Double(summary.passed)),
            "failed": .number(Double(summary.failed)),
            "scenarios": .array(reports.map(scenario)),
        ]
        if let unreferenced {
            document["unreferenced"] = [
                "policy": .string(unreferenced.policy.rawValue),
                "files": .array(unreferenced.paths.map { .string($0) }),
                "fails_run": .bool(unreferenced.fails),
            ]
        }
        return .object(document)
    }

    /// The report's file text: canonical JSON and a newline.
    public static func render(_ reports: [ScenarioReport], unreferenced: UnreferencedGoldens? = nil) -> String {
        value(reports, unreferenced: unreferenced).canonicalText + "\n"
    }

    private static func scenario(_ report: ScenarioReport) -> JSONValue {
        [
            "name": .string(report.name),
            "status": .string(report.status.rawValue),
            "passed": .bool(report.passed),
            "duration_ms": .number(Double(ReportText.milliseconds(report.duration))),
            "error": report.error.map { .string($0.description) } ?? .null,
            "captures": .array(report.captures.map(capture)),
            "cost": report.cost.map { .array($0.records) } ?? .null,
        ]
    }

    private static func capture(_ outcome: CaptureOutcome) -> JSONValue {
        var members: [String: JSONValue] = [
            "file": .string(outcome.goldenPath),
            "passed": .bool(outcome.passed),
            "diff": .string(outcome.comparison.diff),
        ]
        switch outcome.comparison.status {
        case .matched: members["status"] = "matched"
        case .differs: members["status"] = "differs"
        case .missingGolden: members["status"] = "missing"
        case .conflictedGolden: members["status"] = "conflicted"
        case .malformedGolden(let reason):
            members["status"] = "malformed"
            members["reason"] = .string(reason)
        }
        members["action"] =
            switch outcome.action {
            case .none: "none"
            case .wrotePending: "wrote-pending"
            case .wroteGolden: "wrote-golden"
            case .removedStalePending: "removed-stale-pending"
            }
        return .object(members)
    }
}

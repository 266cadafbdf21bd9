/// Shared wording and number formats for the reporters.
enum ReportText {
    /// What happened to a capture, in a few words, e.g. `differs; wrote …/x.jsonl.new`.
    static func summary(of capture: CaptureOutcome) -> String {
        let what: String =
            switch capture.comparison.status {
            case .matched: "matches"
            case .differs: "differs from its golden"
            case .missingGolden: "has no golden"
            case .conflictedGolden: "golden has merge-conflict markers (counts as missing)"
            case .malformedGolden(let reason): "golden is not valid JSON Lines: \(reason)"
            }
        let done: String =
            switch capture.action {
            case .none: ""
            case .wrotePending: "; wrote \(capture.goldenPath)\(GoldenStore.pendingSuffix) for review (rehearse review)"
            case .wroteGolden: "; wrote the golden"
            case .removedStalePending: "; removed a stale .new"
            }
        return "\(capture.goldenPath) \(what)\(done)"
    }

    /// Whole milliseconds as seconds with three decimals, e.g. `1.250`; negative is `0.000`.
    static func seconds(_ duration: Duration) -> String {
        let components = duration.components
        let milliseconds = max(0, components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000)
        let fraction = String(milliseconds % 1_000)
        return "\(milliseconds / 1_000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }

    /// Whole milliseconds, for machine-readable reports.
    static func milliseconds(_ duration: Duration) -> Int64 {
        let components = duration.components
        return max(0, components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000)
    }
}

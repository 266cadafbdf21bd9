/// The human report: one line per scenario, then details of failures, then the tally.
///
/// ```
/// PASS  batch-tweets (0.120s)
/// FAIL  streaming (1.030s)
///
/// FAIL streaming
///   golden/streaming/panes.jsonl differs from its golden; wrote golden/streaming/panes.jsonl.new …
/// --- golden/streaming/panes.jsonl
/// +++ actual streaming/panes.jsonl
/// @@ -1 +1 @@
/// …
///
/// 1 passed, 1 failed
/// ```
/// The last line is always exactly `N passed, N failed` and never coloured.
public struct TerminalReporter: Sendable {
    /// Whether to use ANSI colours (only when the output is a terminal).
    public var colour: Bool

    /// Creates a reporter.
    public init(colour: Bool) {
        self.colour = colour
    }

    /// The whole report, ending in a newline. `unreferenced` adds its lines before the tally, and
    /// says on the tally's line when they fail the run.
    public func render(_ reports: [ScenarioReport], unreferenced: UnreferencedGoldens? = nil) -> String {
        var output = ""
        for report in reports {
            let label = report.status.rawValue
            output += paint(label, report.status) + String(repeating: " ", count: 6 - label.count)
            output += "\(report.name) (\(ReportText.seconds(report.duration))s)\n"
            if let cost = report.cost { output += "      estimated cost \(cost.summary)\n" }
            for capture in report.captures {
                for path in capture.comparison.unusedPaths {
                    output += "      note: capture \(capture.comparison.key.capture): \(path) matched no field in any record\n"
                }
            }
        }
        for report in reports where report.error != nil || !report.notableCaptures.isEmpty {
            output += "\n" + paint(report.status.rawValue, report.status) + " \(report.name)\n"
            if let error = report.error { output += "  error: \(error)\n" }
            for capture in report.notableCaptures {
                output += "  \(ReportText.summary(of: capture))\n"
                let diff = Self.visible(capture.comparison.diff)
                if !diff.isEmpty && !capture.passed {
                    output += colour ? DiffColouring.colour(diff) : diff
                }
            }
        }
        if let unreferenced, !unreferenced.paths.isEmpty {
            output += "\n" + unreferenced.lines.map { $0 + "\n" }.joined()
        }
        output += "\n" + RunSummary(reports).line
        if let unreferenced, unreferenced.fails {
            output += "; \(unreferenced.paths.count) unreferenced golden \(unreferenced.paths.count == 1 ? "file fails" : "files fail") the run"
        }
        output += "\n"
        return output
    }

    /// `text` with its control characters (but line feeds and tabs) shown as their Unicode
    /// pictures (ESC as ␛): a capture's bytes must not move the cursor or recolour the terminal.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isHidden) else { return text }
        var shown = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isHidden(scalar) {
                shown.append(Unicode.Scalar(scalar.value == 0x7F ? 0x2421 : 0x2400 + scalar.value) ?? "\u{FFFD}")
            } else {
                shown.append(scalar)
            }
        }
        return String(shown)
    }

    private static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\n" && scalar != "\t") || scalar.value == 0x7F
    }

    private func paint(_ text: String, _ status: ScenarioStatus) -> String {
        guard colour else { return text }
        let code =
            switch status {
            case .pass: "32"
            case .fail: "31"
            case .new: "33"
            }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}

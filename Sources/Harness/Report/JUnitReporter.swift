/// JUnit XML, the report format CI systems read: one `<testsuite>` with a `<testcase>` per
/// scenario and a `<failure>` holding the summaries and diffs of a scenario that did not pass.
/// Unreferenced goldens that fail the run are one more failing test case, `unreferenced goldens`,
/// so a red job always shows a failing test.
public enum JUnitReporter {
    /// The XML document, ending in a newline. `suiteName` names the testsuite and classname.
    public static func render(_ reports: [ScenarioReport], unreferenced: UnreferencedGoldens? = nil, suiteName: String = "rehearse") -> String {
        let summary = RunSummary(reports)
        let unreferencedFails = unreferenced?.fails ?? false
        let total = ReportText.seconds(reports.reduce(Duration.zero) { $0 + $1.duration })
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let extra = unreferencedFails ? 1 : 0
        let counts = "tests=\"\(reports.count + extra)\" failures=\"\(summary.failed + extra)\" errors=\"0\""
        xml += "<testsuites \(counts) time=\"\(total)\">\n"
        xml += "  <testsuite name=\"\(escape(suiteName))\" \(counts) skipped=\"0\" time=\"\(total)\">\n"
        for report in reports {
            let opening = "    <testcase name=\"\(escape(report.name))\" classname=\"\(escape(suiteName))\""
                + " time=\"\(ReportText.seconds(report.duration))\""
            if report.passed {
                xml += opening + "/>\n"
                continue
            }
            xml += opening + ">\n"
            var summaries: [String] = []
            var body = ""
            if let error = report.error {
                summaries.append("error: \(error)")
                body += "error: \(error)\n"
            }
            for capture in report.captures where !capture.passed {
                let line = ReportText.summary(of: capture)
                summaries.append(line)
                body += line + "\n" + capture.comparison.diff
            }
            let message = summaries.isEmpty ? report.status.rawValue : summaries.joined(separator: "; ")
            xml += "      <failure message=\"\(escape(message))\" type=\"\(report.status.rawValue)\">\(escape(body))</failure>\n"
            xml += "    </testcase>\n"
        }
        if let unreferenced, unreferencedFails {
            let lines = unreferenced.lines.joined(separator: "\n")
            xml += "    <testcase name=\"unreferenced goldens\" classname=\"\(escape(suiteName))\" time=\"0.000\">\n"
            let count = unreferenced.paths.count
            let message = count == 1 ? "1 golden file belongs to no capture" : "\(count) golden files belong to no capture"
            xml += "      <failure message=\"\(escape(message))\" type=\"unreferenced\">"
                + "\(escape(lines + "\n"))</failure>\n"
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    /// Escapes text for XML content and attributes. Characters XML 1.0 cannot hold at all
    /// (control characters other than tab, newline and carriage return) become U+FFFD.
    public static func escape(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case "\t", "\n", "\r": output.unicodeScalars.append(scalar)
            case "\u{00}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": output += "\u{FFFD}"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}

import JSON

/// `rehearse run --report DIR`: one self-contained HTML page (`index.html`) for people: every
/// scenario's status and time, the captures that did not pass, unreferenced goldens, and for
/// each `weeks` capture of an automl loop a chart of the hit rate per week per policy with its
/// retrains marked.
public enum HTMLReporter {
    /// A `weeks` capture to chart: its scenario, its name, and its canonical JSON Lines text.
    public struct WeeklyTable: Sendable {
        public var scenario: String
        public var capture: String
        public var text: String

        public init(scenario: String, capture: String, text: String) {
            self.scenario = scenario
            self.capture = capture
            self.text = text
        }
    }

    /// The page; with `unreferenced` goldens, a list of them (and whether they fail the run).
    public static func render(_ reports: [ScenarioReport], weeklyTables: [WeeklyTable], unreferenced: UnreferencedGoldens? = nil) -> String {
        let summary = RunSummary(reports)
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Rehearsal report</title>
            <style>body{font-family:sans-serif;margin:2em;max-width:60em}td,th{padding:2px 10px;text-align:left}
            .PASS{color:#2ca02c}.FAIL{color:#d62728}.NEW{color:#ff7f0e}svg{max-width:100%;height:auto}</style></head><body>
            <h1>Rehearsal report</h1>
            <p>\(summary.passed) passed, \(summary.failed) failed</p>
            <table><tr><th>scenario</th><th>status</th><th>time</th><th>captures not passing</th></tr>

            """
        for report in reports {
            let failing = report.captures.filter { !$0.passed }.map { HitRateChart.escape($0.comparison.key.fileName) }
            let problems = (report.error.map { [HitRateChart.escape($0.description)] } ?? []) + failing
            html += "<tr><td>\(HitRateChart.escape(report.name))</td><td class=\"\(report.status.rawValue)\">\(report.status.rawValue)</td>"
                + "<td>\(ReportText.milliseconds(report.duration)) ms</td><td>\(problems.joined(separator: "<br>"))</td></tr>\n"
        }
        html += "</table>\n"
        if let unreferenced, !unreferenced.paths.isEmpty {
            let verdict = unreferenced.fails ? "<p class=\"FAIL\">The run fails: golden files belong to no capture.</p>\n" : ""
            html += verdict + "<ul>\n" + unreferenced.lines.map { "<li>\(HitRateChart.escape($0))</li>\n" }.joined() + "</ul>\n"
        }
        for table in weeklyTables {
            guard let records = try? JSONLines.parse(table.text), let chart = HitRateChart(records: records) else { continue }
            html += "<h2>\(HitRateChart.escape(table.scenario)): hit rate per week</h2>\n"
            html += "<p>Capture <code>\(HitRateChart.escape(table.capture))</code>. Dots mark trainings "
                + "(filled: promoted, ring: challenger refused); the dashed line is the base rate, what a random campaign reaches.</p>\n"
            html += chart.svg + "\n"
        }
        return html + "</body></html>\n"
    }
}

import Foundation
import JSON

/// An SVG line chart of an automl loop's weekly table: the hit rate per week, one line per
/// policy, with each training marked (a filled dot for a promoted model, a ring for a refused
/// challenger), and the base rate — what a random campaign reaches — as a dashed grey line.
/// Written by the project, with no script and nothing fetched at view time.
struct HitRateChart {
    /// One policy's week, read from a `weeks` capture record.
    struct Point {
        let week: Int
        let hitRate: Double
        let baseRate: Double
        let decision: String
    }

    /// Points per policy, in the order policies first appear.
    let series: [(policy: String, points: [Point])]

    private static let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
    private static let width = 760.0, height = 300.0, left = 48.0, right = 120.0, top = 16.0, bottom = 36.0

    /// The chart of `records` (a `weeks` capture); nil when none has an outcome yet.
    init?(records: [JSONValue]) {
        var series: [(policy: String, points: [Point])] = []
        for record in records {
            guard case .object(let fields) = record, case .string(let policy)? = fields["policy"],
                  case .number(let week)? = fields["week"], case .number(let hitRate)? = fields["hit_rate"],
                  case .number(let baseRate)? = fields["base_rate"], case .string(let decision)? = fields["decision"]
            else { continue }
            let point = Point(week: Int(week), hitRate: hitRate, baseRate: baseRate, decision: decision)
            if let index = series.firstIndex(where: { $0.policy == policy }) {
                series[index].points.append(point)
            } else {
                series.append((policy, [point]))
            }
        }
        guard !series.isEmpty else { return nil }
        self.series = series
    }

    /// The chart as an `<svg>` element.
    var svg: String {
        let points = series.flatMap(\.points)
        let firstWeek = Double(points.map(\.week).min()!), lastWeek = Double(max(points.map(\.week).max()!, points.map(\.week).min()! + 1))
        let ceiling = Self.niceCeiling(points.map { max($0.hitRate, $0.baseRate) }.max()!)
        let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.top - Self.bottom
        func x(_ week: Int) -> String { Self.number(Self.left + (Double(week) - firstWeek) / (lastWeek - firstWeek) * plotWidth) }
        func y(_ value: Double) -> String { Self.number(Self.top + (1 - value / ceiling) * plotHeight) }

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" role=\"img\" font-family=\"sans-serif\" font-size=\"11\">\n"
        for tick in 0...5 {
            let value = ceiling * Double(tick) / 5
            svg += "<line x1=\"\(Self.number(Self.left))\" x2=\"\(Self.number(Self.left + plotWidth))\" y1=\"\(y(value))\" y2=\"\(y(value))\" stroke=\"#e5e5e5\"/>"
            svg += "<text x=\"\(Self.number(Self.left - 6))\" y=\"\(y(value))\" text-anchor=\"end\" dominant-baseline=\"middle\">\(Self.number(value))</text>\n"
        }
        let weekStep = max(1, Int((lastWeek - firstWeek) / 10))
        for week in stride(from: Int(firstWeek), through: Int(lastWeek), by: weekStep) {
            svg += "<text x=\"\(x(week))\" y=\"\(Self.number(Self.top + plotHeight + 16))\" text-anchor=\"middle\">\(week)</text>"
        }
        svg += "<text x=\"\(Self.number(Self.left + plotWidth / 2))\" y=\"\(Self.number(Self.height - 4))\" text-anchor=\"middle\">week</text>\n"
        let base = series[0].points.map { "\(x($0.week)),\(y($0.baseRate))" }.joined(separator: " ")
        svg += "<polyline points=\"\(base)\" fill=\"none\" stroke=\"#999\" stroke-dasharray=\"4 3\"><title>base rate</title></polyline>\n"
        for (index, line) in series.enumerated() {
            let colour = Self.colours[index % Self.colours.count]
            let path = line.points.map { "\(x($0.week)),\(y($0.hitRate))" }.joined(separator: " ")
            svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\"><title>\(Self.escape(line.policy))</title></polyline>\n"
            for point in line.points where ["initial", "promoted", "refused"].contains(point.decision) {
                let fill = point.decision == "refused" ? "white" : colour
                svg += "<circle class=\"retrain\" cx=\"\(x(point.week))\" cy=\"\(y(point.hitRate))\" r=\"4\" fill=\"\(fill)\" stroke=\"\(colour)\">"
                    + "<title>\(Self.escape(line.policy)) week \(point.week): \(point.decision)</title></circle>\n"
            }
            let legendY = Self.number(Self.top + 14 * Double(index) + 6)
            svg += "<line x1=\"\(Self.number(Self.width - Self.right + 12))\" x2=\"\(Self.number(Self.width - Self.right + 30))\" y1=\"\(legendY)\" y2=\"\(legendY)\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
            svg += "<text x=\"\(Self.number(Self.width - Self.right + 36))\" y=\"\(legendY)\" dominant-baseline=\"middle\">\(Self.escape(line.policy))</text>\n"
        }
        let baseLegend = Self.number(Self.top + 14 * Double(series.count) + 6)
        svg += "<line x1=\"\(Self.number(Self.width - Self.right + 12))\" x2=\"\(Self.number(Self.width - Self.right + 30))\" y1=\"\(baseLegend)\" y2=\"\(baseLegend)\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>"
        svg += "<text x=\"\(Self.number(Self.width - Self.right + 36))\" y=\"\(baseLegend)\" dominant-baseline=\"middle\">base rate</text>\n"
        return svg + "</svg>"
    }

    /// The smallest of 1, 2 or 5 times a power of ten at or above `value` (0.05 at least).
    private static func niceCeiling(_ value: Double) -> Double {
        var step = 0.05
        while step < value {
            step *= 2
            if step < value { step *= 2.5 }
        }
        return step
    }

    /// A coordinate or tick value: at most 3 decimals, no trailing zeros.
    private static func number(_ value: Double) -> String {
        CanonicalNumber.text(CanonicalNumber.rounded(value, toDecimals: 3))
    }

    /// Text safe inside SVG and HTML.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

import Foundation
import JSON

/// Compares a capture with its golden text under the capture's declared normalisations.
public enum Comparator {
    /// Compares `actual` with `golden` (nil when there is no golden file).
    ///
    /// JSON records are redacted, then (if order-insensitive) sorted by canonical text, then
    /// merged with the golden under the declared tolerances; they match when the result's
    /// canonical JSON Lines equal the golden's. Text captures match when equal after their
    /// text redactions, with line endings normalised to `\n` and a final newline ensured.
    ///
    /// - Parameters:
    ///   - goldenLabel: names the golden in the diff's `---` line, e.g. its path.
    /// - Throws: ``HarnessError/normalisationOnText(_:)`` when a text capture declares
    ///   field-path normalisations, ``HarnessError/textRedactionOnRecords(_:)`` when a JSON
    ///   capture declares text redactions.
    public static func compare(
        _ actual: Capture, golden: String?, key: GoldenKey, normalisation: Normalisation, goldenLabel: String
    ) throws(HarnessError) -> CaptureComparison {
        let actualLabel = "actual \(key.relativePath)"
        switch actual {
        case .text(let text):
            guard !normalisation.appliesToRecords else { throw .normalisationOnText(key.capture) }
            let actualText = canonicalText(TextRedaction.apply(normalisation.textRedactions, to: text))
            guard let golden, !MergeConflict.hasMarkers(golden) else {
                return missing(key, golden: golden, actualText: actualText)
            }
            let goldenText = canonicalText(golden)
            let diff = UnifiedDiff.make(old: goldenText, new: actualText, oldLabel: goldenLabel, newLabel: actualLabel)
            return CaptureComparison(key: key, status: diff.isEmpty ? .matched : .differs, diff: diff, actualText: actualText)

        case .records(let records):
            guard normalisation.textRedactions.isEmpty else { throw .textRedactionOnRecords(key.capture) }
            var comparison = try compare(records, golden: golden, key: key, normalisation: normalisation,
                                         goldenLabel: goldenLabel, actualLabel: actualLabel)
            comparison.unusedPaths = normalisation.unusedPaths(in: records)
            return comparison
        }
    }

    /// The records case of `compare`: redacted, ordered if asked, merged under the tolerances.
    private static func compare(
        _ records: [JSONValue], golden: String?, key: GoldenKey, normalisation: Normalisation, goldenLabel: String, actualLabel: String
    ) throws(HarnessError) -> CaptureComparison {
        let order = normalisation.orderInsensitive
        let redacted = Redactor.apply(normalisation.redactions, to: records, orderInsensitive: order)
        guard let golden, !MergeConflict.hasMarkers(golden) else {
            return missing(key, golden: golden, actualText: linesText(redacted, sorted: order))
        }
        let goldenRecords: [JSONValue]
        do {
            goldenRecords = try JSONLines.parse(golden)
        } catch {
            let actualText = linesText(redacted, sorted: order)
            let diff = UnifiedDiff.make(old: golden, new: actualText, oldLabel: goldenLabel, newLabel: actualLabel)
            return CaptureComparison(key: key, status: .malformedGolden("\(goldenLabel): \(error)"), diff: diff, actualText: actualText)
        }
        let merged =
            order
            ? TolerantMerge.mergeAsMultiset(golden: goldenRecords, actual: redacted, tolerances: normalisation.tolerances)
            : TolerantMerge.mergeInOrder(golden: goldenRecords, actual: redacted, tolerances: normalisation.tolerances)
        let actualText = linesText(merged, sorted: order)
        let goldenText = linesText(goldenRecords, sorted: order)
        let diff = UnifiedDiff.make(old: goldenText, new: actualText, oldLabel: goldenLabel, newLabel: actualLabel)
        return CaptureComparison(key: key, status: diff.isEmpty ? .matched : .differs, diff: diff, actualText: actualText)
    }

    /// The canonical form of a text capture: `\r\n` → `\n`, and a final newline unless empty.
    public static func canonicalText(_ text: String) -> String {
        var result = text.replacingOccurrences(of: "\r\n", with: "\n")
        if !result.isEmpty && !result.hasSuffix("\n") { result += "\n" }
        return result
    }

    private static func linesText(_ records: [JSONValue], sorted: Bool) -> String {
        var lines = records.map(\.canonicalText)
        if sorted { lines.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
        return lines.map { $0 + "\n" }.joined()
    }

    private static func missing(_ key: GoldenKey, golden: String?, actualText: String) -> CaptureComparison {
        CaptureComparison(key: key, status: golden == nil ? .missingGolden : .conflictedGolden, diff: "", actualText: actualText)
    }
}

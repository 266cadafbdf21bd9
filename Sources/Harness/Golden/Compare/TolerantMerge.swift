import JSON

/// Carries golden numbers into an actual capture wherever they are within tolerance, so that
/// "equal within tolerance" becomes "equal text" and a golden is never rewritten for drift
/// it accepts.
enum TolerantMerge {
    /// `actual` with every number within a matching tolerance replaced by the golden number.
    static func merge(golden: JSONValue, actual: JSONValue, tolerances: [Tolerance], at location: [JSONLocation] = []) -> JSONValue {
        switch (golden, actual) {
        case (.number(let expected), .number(let got)):
            if let tolerance = tolerances.first(where: { $0.path.matches(location) }),
                tolerance.accepts(golden: expected, actual: got)
            {
                return golden
            }
            return actual
        case (.array(let expected), .array(let got)):
            return .array(got.enumerated().map { index, element in
                index < expected.count
                    ? merge(golden: expected[index], actual: element, tolerances: tolerances, at: location + [.index(index)])
                    : element
            })
        case (.object(let expected), .object(let got)):
            var result = got
            for (key, element) in got {
                if let counterpart = expected[key] {
                    result[key] = merge(golden: counterpart, actual: element, tolerances: tolerances, at: location + [.key(key)])
                }
            }
            return .object(result)
        default:
            return actual
        }
    }

    /// Records in order: the i-th actual record is merged with the i-th golden record.
    static func mergeInOrder(golden: [JSONValue], actual: [JSONValue], tolerances: [Tolerance]) -> [JSONValue] {
        guard !tolerances.isEmpty else { return actual }
        return actual.enumerated().map { index, record in
            index < golden.count ? merge(golden: golden[index], actual: record, tolerances: tolerances) : record
        }
    }

    /// Records as a multiset: each actual record takes an identical golden record if one is
    /// left, otherwise the first unused golden record it equals within tolerance.
    static func mergeAsMultiset(golden: [JSONValue], actual: [JSONValue], tolerances: [Tolerance]) -> [JSONValue] {
        guard !tolerances.isEmpty else { return actual }
        var unusedExact: [String: Int] = [:]
        for record in golden { unusedExact[record.canonicalText, default: 0] += 1 }
        var leftovers: [Int] = []
        for (index, record) in actual.enumerated() {
            let text = record.canonicalText
            if let count = unusedExact[text], count > 0 {
                unusedExact[text] = count - 1
            } else {
                leftovers.append(index)
            }
        }
        var unused: [JSONValue] = []
        for record in golden {
            let text = record.canonicalText
            if let count = unusedExact[text], count > 0 {
                unusedExact[text] = count - 1
                unused.append(record)
            }
        }
        var result = actual
        for index in leftovers {
            for (position, candidate) in unused.enumerated() {
                let merged = merge(golden: candidate, actual: actual[index], tolerances: tolerances)
                if merged == candidate {
                    result[index] = merged
                    unused.remove(at: position)
                    break
                }
            }
        }
        return result
    }
}

/// How far a number at a field path may drift from its golden value and still match.
///
/// A value matches when `|actual − golden| ≤ max(absolute, relative × max(|actual|, |golden|))`
/// (symmetric, like Python's `math.isclose`). Within tolerance the golden text is kept byte for
/// byte; only drift beyond it shows in a diff.
public struct Tolerance: Sendable, Equatable {
    /// The numbers this tolerance applies to.
    public let path: FieldPath
    /// The allowed absolute difference.
    public let absolute: Double
    /// The allowed difference relative to the larger magnitude.
    public let relative: Double

    /// Creates a tolerance; both bounds default to 0.
    ///
    /// - Throws: ``HarnessError/invalidFieldPath(_:column:message:)`` for a malformed path,
    ///   ``HarnessError/invalidTolerance(_:reason:)`` for a negative or non-finite bound.
    public init(_ path: String, absolute: Double = 0, relative: Double = 0) throws(HarnessError) {
        self.path = try FieldPath(path)
        for (label, bound) in [("absolute", absolute), ("relative", relative)] {
            if !bound.isFinite || bound < 0 {
                throw .invalidTolerance(path, reason: "\(label) bound \(bound) must be finite and not negative")
            }
        }
        self.absolute = absolute
        self.relative = relative
    }

    /// Whether `actual` is close enough to `golden`.
    public func accepts(golden: Double, actual: Double) -> Bool {
        if golden == actual { return true }
        let difference = abs(actual - golden)
        guard difference.isFinite else { return false }
        return difference <= max(absolute, relative * max(abs(actual), abs(golden)))
    }
}

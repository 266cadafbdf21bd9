/// One numeric column of a `TabularTrainingData`, in row order: as 16-bit whole numbers while
/// every value is one (bit for bit, so −0.0 is not), as doubles from the first value that is not.
///
/// Most tabular features are counts and days; kept in 2 bytes rather than 8, the trainer's
/// passes over millions of rows read a fraction of the memory, and each value converts back to
/// exactly the double it was.
struct NumericColumn: Sendable {
    /// The values while they are all whole numbers from 0 to 65,535.
    private(set) var wholes: [UInt16] = []
    /// The values once one is not (`wholes` is then empty).
    private(set) var doubles: [Double]?

    /// Appends `count` values of `values`, every `stride`-th from `start` (one column of a
    /// row-by-row table), converting the column to doubles at the first that does not fit in
    /// 16 bits.
    mutating func append(_ values: UnsafeBufferPointer<Double>, start: Int, stride: Int, count: Int) {
        var first = 0  // the first of the `count` values not appended yet
        if doubles == nil {
            while first < count {
                let value = values[start + first * stride]
                guard let whole = UInt16(exactly: value), Double(whole).bitPattern == value.bitPattern else { break }
                first += 1
            }
            Self.append(first, of: values, start: start, stride: stride, to: &wholes) { UInt16($0) }
            guard first < count else { return }
            doubles = wholes.map(Double.init)
            wholes = []
        }
        Self.append(count - first, of: values, start: start + first * stride, stride: stride, to: &doubles!) { $0 }
    }

    /// Appends `count` values of `values`, every `stride`-th from `start`, each converted, to
    /// `array`: grown once, then filled.
    @inline(__always)
    private static func append<Element: Numeric>(
        _ count: Int, of values: UnsafeBufferPointer<Double>, start: Int, stride: Int, to array: inout [Element], _ convert: (Double) -> Element
    ) {
        let oldCount = array.count
        array.append(contentsOf: repeatElement(0, count: count))
        array.withUnsafeMutableBufferPointer { array in
            for index in 0..<count { array[oldCount + index] = convert(values[start + index * stride]) }
        }
    }

    /// The value of row `row`.
    subscript(row: Int) -> Double {
        if let doubles { return doubles[row] }
        return Double(wholes[row])
    }

    /// Calls `body` with the column's storage.
    func withValues<Result>(_ body: (NumericColumnValues) -> Result) -> Result {
        if let doubles { return doubles.withUnsafeBufferPointer { body(.doubles($0)) } }
        return wholes.withUnsafeBufferPointer { body(.wholes($0)) }
    }
}

extension [NumericColumn] {
    /// Calls `body` with every column's storage, in column order.
    func withValues<Result>(_ body: ([NumericColumnValues]) -> Result) -> Result {
        func gather(from index: Int, _ values: [NumericColumnValues]) -> Result {
            guard index < count else { return body(values) }
            return self[index].withValues { gather(from: index + 1, values + [$0]) }
        }
        return gather(from: 0, [])
    }
}

/// Where a `NumericColumn`'s values are, while its `withValues` runs.
enum NumericColumnValues {
    case wholes(UnsafeBufferPointer<UInt16>)
    case doubles(UnsafeBufferPointer<Double>)

    /// The value of row `row`.
    @inline(__always)
    subscript(row: Int) -> Double {
        switch self {
        case .wholes(let values): Double(values[row])
        case .doubles(let values): values[row]
        }
    }
}

/// The rows of several inputs, in order, numbered across all of them from 0.
struct ConcatenatedRows: Sendable {
    private let parts: [InputRows]
    /// Where each part's rows start in the numbering, then the total.
    private let starts: [Int]

    init(_ parts: [InputRows]) {
        self.parts = parts
        var starts = [0]
        for part in parts { starts.append(starts[starts.count - 1] + part.count) }
        self.starts = starts
    }

    /// The number of rows in all parts.
    var count: Int { starts[starts.count - 1] }

    /// Calls `body` with the id and text bytes of each row in `range`, in order.
    func forEach(in range: Range<Int>, _ body: (_ id: UnsafeBufferPointer<UInt8>, _ text: UnsafeBufferPointer<UInt8>) -> Void) {
        guard !range.isEmpty else { return }
        // The last part starting at or before the range (binary search over `starts`).
        var low = 0
        var high = parts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= range.lowerBound { low = middle } else { high = middle - 1 }
        }
        var part = low
        var index = range.lowerBound
        while index < range.upperBound {
            while index >= starts[part + 1] { part += 1 }
            parts[part].withRow(index - starts[part], body)
            index += 1
        }
    }
}

/// The `k`-th highest of many numbers, without sorting them.
public enum KthHighest {
    /// The `count`-th highest of `values`, equal values counted apart (the 2nd highest of
    /// `[3, 3, 1]` is 3), for `count` in `1...values.count`; no value may be NaN.
    ///
    /// The `count` highest values seen so far stay in a min-heap; each further value is
    /// compared with their least and replaces it only when higher. Once part of the values are
    /// seen, few further ones are higher, so the comparison nearly always goes the same way and
    /// the processor predicts it: O(n + count·log(count)·log(n / count)) on average. The result
    /// is a value, so it is the same whatever the method.
    public static func of(_ values: [Double], count: Int) -> Double {
        precondition(count >= 1 && count <= values.count, "the \(count)-th highest of \(values.count) values")
        return values.withUnsafeBufferPointer { values in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { heap in
                for index in 0..<count {
                    heap[index] = values[index]
                    siftUp(index, in: heap)
                }
                for index in count..<values.count where values[index] > heap[0] {
                    heap[0] = values[index]
                    siftDown(in: heap, count: count)
                }
                return heap[0]
            }
        }
    }

    /// Moves the value at `index` up the min-heap `heap[0...index]` to its place.
    private static func siftUp(_ index: Int, in heap: UnsafeMutableBufferPointer<Double>) {
        var child = index
        let value = heap[child]
        while child > 0 {
            let parent = (child - 1) / 2
            guard value < heap[parent] else { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = value
    }

    /// Moves the value at the root of the min-heap `heap[0..<count]` down to its place.
    private static func siftDown(in heap: UnsafeMutableBufferPointer<Double>, count: Int) {
        var parent = 0
        let value = heap[0]
        while true {
            var child = 2 * parent + 1
            guard child < count else { break }
            if child + 1 < count && heap[child + 1] < heap[child] { child += 1 }
            guard heap[child] < value else { break }
            heap[parent] = heap[child]
            parent = child
        }
        heap[parent] = value
    }
}

/// Finding the best few of many without sorting them all.
public enum Quickselect {
    /// Reorders `elements` so that its first `count` are the best by `ranksBefore` (a strict
    /// total order: for two distinct elements exactly one ranks before the other), in no
    /// particular order. With a strict weak order (ties: neither ranks before the other, as `>`
    /// on numbers), they are the best `count` up to ties: which of the elements tied with the
    /// last one kept are kept is left to the method. O(n) on average: Hoare partitions around the
    /// median of each range's first, middle and last elements, narrowing to the side that holds
    /// the boundary. Which elements come first depends only on the order, not on the method.
    @inlinable
    public static func moveBest<Element>(_ count: Int, of elements: inout [Element], ranksBefore: (Element, Element) -> Bool) {
        var low = 0, high = elements.count
        guard count > low, count < high else { return }
        while high - low > 1 {
            let first = elements[low], middle = elements[low + (high - low) / 2], last = elements[high - 1]
            let pivot = ranksBefore(first, middle)
                ? (ranksBefore(middle, last) ? middle : ranksBefore(first, last) ? last : first)
                : (ranksBefore(first, last) ? first : ranksBefore(middle, last) ? last : middle)
            var i = low, j = high - 1
            while i <= j {
                while ranksBefore(elements[i], pivot) { i += 1 }
                while ranksBefore(pivot, elements[j]) { j -= 1 }
                if i <= j {
                    elements.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // Now [low, j] rank before the pivot or are it, [i, high) after it or are it, and
            // anything between is the pivot.
            if count <= j { high = j + 1 } else if count > i { low = i } else { return }
        }
    }
}

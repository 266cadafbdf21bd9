/// A first-in, first-out sequence with amortised O(1) `append` and `removeFirst(_:)`: removing
/// from the front only moves a start index, and the storage is compacted once the removed part
/// outweighs what is left. The prediction log's buffer, the quality monitor's rolling windows
/// and its forgetting order are all one of these.
struct FIFOBuffer<Element> {
    private var storage: [Element] = []
    private var start = 0

    /// How many elements are held.
    var count: Int { storage.count - start }

    var isEmpty: Bool { count == 0 }

    /// The oldest element.
    var first: Element? { isEmpty ? nil : storage[start] }

    /// Appends `element` at the back.
    mutating func append(_ element: Element) { storage.append(element) }

    /// The oldest `maxCount` elements (fewer if fewer are held), oldest first.
    func prefix(_ maxCount: Int) -> [Element] {
        Array(storage[start..<(start + min(maxCount, count))])
    }

    /// Removes the oldest `removing` elements (at most `count`).
    mutating func removeFirst(_ removing: Int) {
        start += min(removing, count)
        if start == storage.count {
            storage.removeAll(keepingCapacity: true)
            start = 0
        } else if start >= 1024, start * 2 >= storage.count {
            storage.removeFirst(start)
            start = 0
        }
    }

    /// Removes and returns the oldest element.
    mutating func popFirst() -> Element? {
        guard let element = first else { return nil }
        removeFirst(1)
        return element
    }
}

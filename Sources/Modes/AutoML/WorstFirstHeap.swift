/// The best `capacity` of the elements offered so far, by a strict ranking, kept as a binary
/// heap whose root is the worst of them, so each offer costs O(log capacity).
struct WorstFirstHeap<Element> {
    /// The kept elements, in heap order (not ranked).
    private(set) var elements: [Element] = []
    private let capacity: Int
    private let ranksBefore: (Element, Element) -> Bool

    /// An empty heap keeping at most `capacity` elements; `ranksBefore(a, b)` says `a` is better.
    init(capacity: Int, ranksBefore: @escaping (Element, Element) -> Bool) {
        self.capacity = max(0, capacity)
        self.ranksBefore = ranksBefore
        elements.reserveCapacity(self.capacity)
    }

    /// Keeps `element` if there is room, or if it ranks before the worst kept one (which goes).
    mutating func offer(_ element: Element) {
        if elements.count < capacity {
            elements.append(element)
            siftUp(from: elements.count - 1)
        } else if capacity > 0, ranksBefore(element, elements[0]) {
            elements[0] = element
            siftDown(from: 0)
        }
    }

    /// Whether `a` ranks after `b`: the heap's order (the worst at the root).
    private func worse(_ a: Element, _ b: Element) -> Bool { ranksBefore(b, a) }

    private mutating func siftUp(from start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard worse(elements[child], elements[parent]) else { return }
            elements.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var worst = parent
            if left < elements.count, worse(elements[left], elements[worst]) { worst = left }
            if right < elements.count, worse(elements[right], elements[worst]) { worst = right }
            guard worst != parent else { return }
            elements.swapAt(parent, worst)
            parent = worst
        }
    }
}

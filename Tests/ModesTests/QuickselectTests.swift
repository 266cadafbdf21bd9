import Determinism
import Testing

@Suite("Quickselect: the best few of many")
struct QuickselectTests {
    /// Higher score first, then lower id: a strict total order over distinct ids.
    static func ranksBefore(_ lhs: (score: Double, id: Int), _ rhs: (score: Double, id: Int)) -> Bool {
        lhs.score != rhs.score ? lhs.score > rhs.score : lhs.id < rhs.id
    }

    @Test("the first count elements are exactly the best count of a full sort: random, tied, sorted and reversed inputs, every count")
    func matchesFullSort() {
        var random = SplitMix64(seed: 7)
        var layouts: [[(score: Double, id: Int)]] = []
        for size in [0, 1, 2, 3, 5, 17, 100, 1_000] {
            let scores = (0..<size).map { _ in Double(random.nextIndex(below: 1_000_000)) / 1e6 }
            layouts.append(scores.enumerated().map { ($1, $0) })
            layouts.append((0..<size).map { (Double(random.nextIndex(below: 3)), $0) })  // many ties
            layouts.append((0..<size).map { (Double($0), $0) })  // ascending: worst first
            layouts.append((0..<size).map { (Double(-$0), $0) })  // descending: best first
            layouts.append((0..<size).map { (1, size - $0) })  // all tied, ids descending
        }
        for layout in layouts {
            let sorted = layout.sorted(by: Self.ranksBefore).map(\.id)
            for count in Set([0, 1, 2, layout.count / 3, layout.count / 2, layout.count - 1, layout.count, layout.count + 1]) where count >= 0 {
                var elements = layout
                Quickselect.moveBest(count, of: &elements, ranksBefore: Self.ranksBefore)
                #expect(Set(elements.map(\.id)) == Set(layout.map(\.id)), "a permutation")
                let kept = min(count, layout.count)
                #expect(Set(elements.prefix(kept).map(\.id)) == Set(sorted.prefix(kept)), "\(layout.count) elements, count \(count)")
            }
        }
    }

    @Test("with ties left unbroken (plain numbers, highest first), the first count hold the count highest values")
    func weakOrder() {
        var random = SplitMix64(seed: 11)
        for size in [1, 2, 3, 5, 17, 100, 1_000, 5_000] {
            for distinct in [1, 2, 3, 10, 1_000_000] {
                let values = (0..<size).map { _ in Double(random.nextIndex(below: distinct)) }
                let highest = values.sorted(by: >)
                for count in Set([1, 2, size / 3, size / 2, size - 1, size]) where count > 0 {
                    var elements = values
                    Quickselect.moveBest(count, of: &elements, ranksBefore: >)
                    #expect(elements.sorted() == values.sorted(), "a permutation")
                    #expect(elements.prefix(count).sorted(by: >) == Array(highest.prefix(count)), "\(size) values, \(distinct) distinct, count \(count)")
                }
            }
        }
    }
}

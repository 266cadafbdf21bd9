import Determinism
import Testing

@Suite("KthHighest: the k-th highest of many numbers")
struct KthHighestTests {
    @Test("the same value as the count-th of a full sort, highest first: random, tied, sorted and reversed inputs, every count")
    func matchesFullSort() {
        var random = SplitMix64(seed: 7)
        var layouts: [[Double]] = []
        for size in [1, 2, 3, 5, 17, 100, 1_000, 5_000] {
            for distinct in [1, 2, 3, 10, 1_000_000] {
                layouts.append((0..<size).map { _ in Double(random.nextIndex(below: distinct)) / 7 })
            }
            layouts.append((0..<size).map { Double($0) })  // ascending: each value replaces the least
            layouts.append((0..<size).map { Double(-$0) })  // descending: none does
            layouts.append((0..<size).map { $0 % 2 == 0 ? -0.0 : 0.0 })  // zeros of both signs
        }
        for values in layouts {
            let highest = values.sorted(by: >)
            for count in Set([1, 2, 3, values.count / 3, values.count / 2, values.count - 1, values.count]) where count >= 1 && count <= values.count {
                #expect(KthHighest.of(values, count: count) == highest[count - 1], "\(values.count) values, count \(count)")
            }
        }
    }
}

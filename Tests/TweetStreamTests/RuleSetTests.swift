import Testing
import TweetStream

@Suite("Rule sets")
struct RuleSetTests {
    @Test("ids are 19 digits, grow in creation order, and repeat for the same seed only")
    func ids() throws {
        func make(seed: UInt64) throws -> [String] {
            var rules = RuleSet(seed: seed)
            return try ["a", "b", "c"].map { try rules.add(value: $0, tag: nil).id }
        }
        let first = try make(seed: 7)
        #expect(first == (try make(seed: 7)))
        #expect(first != (try make(seed: 8)))
        for id in first { #expect(id.count == 19 && id.allSatisfy(\.isNumber), "\(id)") }
        #expect(first.map { UInt64($0)! } == first.map { UInt64($0)! }.sorted())
        #expect(Set(first).count == 3)
    }

    @Test("delete removes by id, reports unknown ids, and never reuses an id")
    func delete() throws {
        var rules = RuleSet(seed: 1)
        let a = try rules.add(value: "a", tag: "A")
        let b = try rules.add(value: "b", tag: nil)
        #expect(rules.delete(ids: [a.id, "123"]) == ["123"])
        #expect(rules.rules.map(\.id) == [b.id])
        let c = try rules.add(value: "a", tag: "A again")
        #expect(c.id != a.id && UInt64(c.id)! > UInt64(b.id)!)
    }

    @Test("a duplicate value is refused with the existing rule's id; a bad one with its syntax error")
    func refusals() throws {
        var rules = RuleSet(seed: 1)
        let a = try rules.add(value: "cat dog", tag: nil)
        #expect(throws: RuleSet.AddError.duplicate(id: a.id)) { try rules.add(value: "cat dog", tag: "other") }
        do {
            try rules.add(value: "(cat", tag: nil)
            Issue.record("added")
        } catch {
            guard case .invalid(let syntax) = error else { Issue.record("\(error)"); return }
            #expect(syntax.position == 1)
        }
        #expect(rules.rules.count == 1)
    }

    @Test("matching returns every matching rule in id order")
    func matching() throws {
        var rules = RuleSet(seed: 3)
        let happy = try rules.add(value: "happy", tag: "joy")
        _ = try rules.add(value: "sad", tag: "gloom")
        let day = try rules.add(value: "day -night", tag: nil)
        #expect(rules.matching(text: "A happy day", lang: "en").map(\.id) == [happy.id, day.id])
        #expect(rules.matching(text: "happy night", lang: "en").map(\.id) == [happy.id])
        #expect(rules.matching(text: "nothing here", lang: "en").isEmpty)
    }
}

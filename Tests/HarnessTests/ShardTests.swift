import Foundation
import Harness
import Testing

/// `rehearse run --shard K/N`: stable parts that together hold every scenario exactly once.
@Suite("Shards") struct ShardTests {
    @Test("the N parts hold every name exactly once, for several N and many names")
    func partsCoverEveryNameOnce() throws {
        let names = (0..<2_000).map { "scenario-\($0)" } + ["", "ü-ñ", "batch-tweets", "a/b"]
        for count in [1, 2, 3, 4, 7, 16, 100] {
            let shards = try (1...count).map { (index) throws(ShardError) in try ScenarioShard(index: index, count: count) }
            var seen: [String: Int] = [:]
            for shard in shards {
                for name in names where shard.contains(name) { seen[name, default: 0] += 1 }
            }
            #expect(seen.count == names.count, "N=\(count): some names are in no part")
            #expect(seen.values.allSatisfy { $0 == 1 }, "N=\(count): some names are in two parts")
            if count > 1 {  // a split that puts everything in one part is no split
                let sizes = shards.map { shard in names.filter(shard.contains).count }
                #expect(sizes.allSatisfy { $0 > 0 }, "N=\(count): \(sizes)")
            }
        }
    }

    /// Pinned from FNV-1a 64 computed independently (Python, offset 0xcbf29ce484222325, prime
    /// 0x100000001b3): a part never depends on the process, the machine or Swift's Hasher.
    @Test("parts are FNV-1a 64 of the UTF-8 name mod N, plus one")
    func partsArePinned() {
        let expected: [(String, Int, Int, Int)] = [
            ("batch-tweets", 1, 3, 1), ("batch-flaky-store", 2, 1, 4), ("tiny-batch", 1, 3, 3), ("changed-prediction", 2, 1, 4),
        ]
        for (name, ofTwo, ofThree, ofFour) in expected {
            #expect([2, 3, 4].map { ScenarioShard.part(of: name, count: $0) } == [ofTwo, ofThree, ofFour], "\(name)")
        }
    }

    @Test("K/N is read strictly", arguments: ["0/2", "3/2", "2/0", "-1/2", "x", "1/2/3", "", "1/", "/2", " 1/2"])
    func malformedShardsAreRefused(_ text: String) {
        #expect(throws: ShardError.self) { try ScenarioShard(parsing: text) }
    }

    @Test func aGoodShardParses() throws {
        let shard = try ScenarioShard(parsing: "2/4")
        #expect(shard.index == 2 && shard.count == 4 && shard.description == "2/4")
    }

    @Test("each part judges only the golden folders in it: together they report each file once")
    func unreferencedGoldensAreJudgedOncePerFolder() throws {
        let folder = try TemporaryFolder()
        let scenarios = (0..<20).map { "s\($0)" }
        for scenario in scenarios { try folder.write("x\n", to: "golden/\(scenario)/old.jsonl") }
        let store = GoldenStore(root: folder.path + "/golden")
        let whole = try UnreferencedGoldens.apply(.warn, store: store, referenced: [])
        #expect(whole.paths.count == 20)
        var fromParts: [String] = []
        for index in 1...3 {
            let shard = try ScenarioShard(index: index, count: 3)
            let part = try UnreferencedGoldens.apply(.warn, store: store, referenced: [], shard: shard)
            #expect(part.paths.allSatisfy { path in shard.contains(URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent) })
            fromParts += part.paths
        }
        #expect(fromParts.sorted() == whole.paths.sorted())
    }
}

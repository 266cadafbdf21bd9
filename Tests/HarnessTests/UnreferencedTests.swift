import Harness
import Testing

@Suite("Unreferenced goldens")
struct UnreferencedTests {
    func fixture() throws -> (TemporaryFolder, GoldenStore, Set<GoldenKey>) {
        let folder = try TemporaryFolder()
        for file in [
            "golden/batch/_header.json", "golden/batch/predictions.jsonl", "golden/batch/old.jsonl",
            "golden/batch/predictions.txt", "golden/batch/gone.txt.new", "golden/batch/NOTES.md",
            "golden/retired/_header.json", "golden/retired/out.jsonl",
        ] {
            try folder.write("x\n", to: file)
        }
        let referenced: Set<GoldenKey> = [try GoldenKey(scenario: "batch", capture: "predictions", format: .jsonLines)]
        return (folder, GoldenStore(root: folder.path + "/golden"), referenced)
    }

    @Test("finds goldens and pending files nobody captures, and headers of retired scenarios")
    func find() throws {
        let (folder, store, referenced) = try fixture()
        let result = try UnreferencedGoldens.apply(.warn, store: store, referenced: referenced)
        let root = folder.path + "/golden/"
        #expect(result.paths == [
            root + "batch/gone.txt.new", root + "batch/old.jsonl", root + "batch/predictions.txt",
            root + "retired/_header.json", root + "retired/out.jsonl",
        ])
        #expect(!result.fails)
        #expect(result.lines[0] == "unreferenced golden \(root)batch/gone.txt.new (warning; remove it or run with --unreferenced=delete)")
        #expect(folder.files().count == 8)
    }

    @Test("delete removes them and folders left empty, but never other files")
    func delete() throws {
        let (folder, store, referenced) = try fixture()
        let result = try UnreferencedGoldens.apply(.delete, store: store, referenced: referenced)
        #expect(!result.fails)
        #expect(folder.files() == ["golden/batch/NOTES.md", "golden/batch/_header.json", "golden/batch/predictions.jsonl"])
        #expect(!folder.exists("golden/retired"))
    }

    @Test("fail fails only when something is unreferenced")
    func fail() throws {
        let (folder, store, referenced) = try fixture()
        #expect(try UnreferencedGoldens.apply(.fail, store: store, referenced: referenced).fails)
        let everything = Set(try store.scenarios().flatMap { scenario in
            try store.fileNames(scenario: scenario).compactMap { GoldenStore.key(scenario: scenario, fileName: $0)?.key }
        })
        #expect(try !UnreferencedGoldens.apply(.fail, store: store, referenced: everything).fails)
        #expect(folder.files().count == 8)
    }

    @Test("the policy defaults to warn locally and fail under CI; delete never runs under CI")
    func policy() {
        let local = RunEnvironment(isCI: false), ci = RunEnvironment(isCI: true)
        #expect(UnreferencedPolicy.effective(requested: nil, environment: local) == .warn)
        #expect(UnreferencedPolicy.effective(requested: nil, environment: ci) == .fail)
        #expect(UnreferencedPolicy.effective(requested: .delete, environment: ci) == .fail)
        #expect(UnreferencedPolicy.effective(requested: .delete, environment: local) == .delete)
        #expect(UnreferencedPolicy.effective(requested: .warn, environment: ci) == .warn)
    }
}

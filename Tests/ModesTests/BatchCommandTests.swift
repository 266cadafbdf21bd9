import Foundation
import LocalCloud
import Modes
import Testing

/// `rehearse batch --model-file` as a user runs it: the artifact is registered once, only for a
/// job that can run (inputs present and usable), and only under an alias.
@Suite struct BatchCommandTests {
    private func rehearse(_ arguments: [String]) throws -> Int32 {
        try runRehearse(arguments).status
    }

    @Test func aModelFileIsRegisteredOnceOnlyForARunnableJobAndOnlyUnderAnAlias() throws {
        let fixture = try StoreFixture()
        let artifact = fixture.root.path + "-model.rmodel"
        defer { try? FileManager.default.removeItem(atPath: artifact) }
        try Data(try TinyData.model().artifactBytes).write(to: URL(fileURLWithPath: artifact))
        let base = ["batch", "--root", fixture.root.path, "--bucket", "data", "--input", "in/", "--output", "out/",
                    "--model-file", artifact, "--progress", "never"]
        let registry = ModelRegistry(store: fixture.store, bucket: "data")

        #expect(try rehearse(base + ["--model", "m@production"]) == 1)  // no inputs yet
        #expect(try registry.versions(name: "m").isEmpty)
        #expect(try rehearse(base + ["--model", "m@1"]) == 2)  // a version number cannot name the file
        try fixture.put(TinyData.csv(rows: 20), "in/a.csv")
        #expect(try rehearse(base + ["--model", "m@production", "--text", "txet"]) == 1)  // inputs unusable
        #expect(try registry.versions(name: "m").isEmpty, "a job that fails on its inputs registers nothing")
        #expect(try rehearse(base + ["--model", "m@production"]) == 0)
        #expect(try rehearse(base + ["--model", "m@production"]) == 0)
        #expect(try registry.versions(name: "m") == [1])
    }

    @Test("each --model-file run says where the alias went: pointed, moved (a rollback too), or left")
    func aliasMovesAreSaid() throws {
        let fixture = try StoreFixture()
        let files = try [1, 2].map { seed in
            let path = fixture.root.path + "-model-\(seed).rmodel"
            try Data(try TinyData.model(seed: UInt64(seed)).artifactBytes).write(to: URL(fileURLWithPath: path))
            return path
        }
        defer { for file in files { try? FileManager.default.removeItem(atPath: file) } }
        try fixture.put(TinyData.csv(rows: 5), "in/a.csv")
        func run(_ file: String) throws -> String {
            let result = try runRehearse(["batch", "--root", fixture.root.path, "--bucket", "data", "--input", "in/", "--output", "out/",
                                          "--model", "m@production", "--model-file", file, "--progress", "never"])
            #expect(result.status == 0, "\(result.standardError)")
            return result.standardError
        }
        #expect(try run(files[0]).contains("registered \(files[0]) as m version 1; alias production now points at version 1"))
        #expect(try run(files[1]).contains("registered \(files[1]) as m version 2; alias production moved from version 1 to 2"))
        #expect(try run(files[0]).contains("\(files[0]) is already m version 1; alias production moved from version 2 to 1"))
        #expect(try run(files[0]).contains("\(files[0]) is already m version 1; alias production already pointed at version 1"))
    }

    @Test("an --output that holds the --input, or is empty, is a usage error naming both")
    func anOutputHoldingTheInputIsRefused() throws {
        let fixture = try StoreFixture()
        try fixture.put(TinyData.csv(rows: 5), "in/a.csv")
        let job = ["batch", "--root", fixture.root.path, "--bucket", "data", "--model", "m@production", "--progress", "never"]
        for (input, output, message) in [("in/", "in/", "--input in/ lies inside --output in/"), ("in/x/", "in/", "--input in/x/ lies inside --output in/"),
                                         ("in/x/", "in", "--input in/x/ lies inside --output in"), ("in/", "", "--output must name a prefix")] {
            let refused = try runRehearse(job + ["--input", input, "--output", output])
            #expect(refused.status == 2)
            #expect(refused.standardError.contains(message), "\(refused.standardError)")
        }
        #expect(try fixture.keys(under: "").sorted() == ["in/a.csv"])
        // An --output that only begins like the --input (no "/" between) holds none of it.
        let beside = try runRehearse(job + ["--input", "in/", "--output", "i"])
        #expect(beside.status == 1 && !beside.standardError.contains("lies inside"), "\(beside.standardError)")  // it runs (and fails: no model m)
    }

    @Test func aMissingBucketOrCloudFailsNamingItAndCreatesNeither() throws {
        let fixture = try StoreFixture()
        let job = ["--input", "in/", "--output", "out/", "--model", "m@production", "--progress", "never"]
        let noBucket = try runRehearse(["batch", "--root", fixture.root.path, "--bucket", "nob"] + job)
        #expect(noBucket.status == 1)
        #expect(noBucket.standardError.contains("bucket \"nob\" does not exist"), "\(noBucket.standardError)")
        #expect(try fixture.store.bucketNames() == ["data"])
        let missingRoot = fixture.root.path + "-missing"
        let noCloud = try runRehearse(["batch", "--root", missingRoot, "--bucket", "data"] + job)
        #expect(noCloud.status == 1)
        #expect(noCloud.standardError.contains("no object store in"), "\(noCloud.standardError)")
        #expect(!FileManager.default.fileExists(atPath: missingRoot))
    }

    @Test func aTypoInTheTextColumnFailsTheJobNamesTheColumnsAndKeepsThePreviousRun() throws {
        let fixture = try StoreFixture()
        try ModelRegistry(store: fixture.store, bucket: "data").register(try TinyData.model(), name: "m")
        try fixture.put(TinyData.csv(rows: 20), "in/a.csv")
        let base = ["batch", "--root", fixture.root.path, "--bucket", "data", "--input", "in/", "--output", "out/",
                    "--model", "m@1", "--progress", "never"]
        #expect(try rehearse(base) == 0)
        let before = try fixture.keys(under: "out/").sorted()
        let manifest = try fixture.text("out/_MANIFEST.json")
        // A new input changes the run folder's name, so a committed typo run would delete the old one.
        try fixture.put(TinyData.csv(rows: 5, firstID: 100), "in/b.csv")
        let typo = try runRehearse(base + ["--text", "txet"])
        #expect(typo.status == 1)
        #expect(typo.standardError.contains("no text column \"txet\"") && typo.standardError.contains("found: id,text"),
                "\(typo.standardError)")
        #expect(try fixture.keys(under: "out/").sorted() == before)
        #expect(try fixture.text("out/_MANIFEST.json") == manifest)
    }

    @Test func aTabularModelFileScoresRowsByItsColumns() throws {
        let fixture = try StoreFixture()
        let artifact = fixture.root.path + "-propensity.rmodel"
        defer { try? FileManager.default.removeItem(atPath: artifact) }
        let model = try TabularBatchJobTests.Customers.model()
        try Data(model.artifactBytes).write(to: URL(fileURLWithPath: artifact))
        try fixture.put(TabularBatchJobTests.Customers.csv(0..<40), "in/a.csv")
        let base = ["batch", "--root", fixture.root.path, "--bucket", "data", "--input", "in/", "--output", "out/",
                    "--model", "p@production", "--model-file", artifact, "--progress", "never"]
        let missingID = try runRehearse(base)  // the id column is `customer`, not the default `id`
        #expect(missingID.status == 1 && missingID.standardError.contains("no id column \"id\""), "\(missingID.standardError)")
        #expect(try rehearse(base + ["--id", "customer"]) == 0)
        let manifest = try BatchManifest(fileData: fixture.store.get(bucket: "data", key: "out/_MANIFEST.json").data)
        #expect(manifest.model.id == model.modelID && manifest.model.version == 1 && manifest.rows == 40)
        #expect(try ModelRegistry(store: fixture.store, bucket: "data").resolveTabular(name: "p", aliasOrVersion: "production").model.modelID
                == model.modelID)
        // Commands that need a text classifier say what the file is and where it can be used.
        let predict = try runRehearse(["predict", "--model", artifact])
        #expect(predict.status == 1 && predict.standardError.contains("holds a tabular model")
                && predict.standardError.contains("`rehearse batch` scores tabular models"), "\(predict.standardError)")
    }

    @Test func unreadableModelFilesGetPlainMessagesThatNameThePath() throws {
        let fixture = try StoreFixture()
        try fixture.put(TinyData.csv(rows: 5), "in/a.csv")
        let empty = fixture.root.path + "-empty.rmodel"
        try Data().write(to: URL(fileURLWithPath: empty))
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let base = ["batch", "--root", fixture.root.path, "--bucket", "data", "--input", "in/", "--output", "out/",
                    "--model", "m@production", "--progress", "never", "--model-file"]
        for (path, words) in [(NSTemporaryDirectory(), "it is a folder, not a file"),
                              ("/dev/null", "it is not a regular file"),
                              (fixture.root.path + "-missing.rmodel", "no such file"),
                              (empty, "is empty; expected a model artifact")] {
            let result = try runRehearse(base + [path])
            #expect(result.status == 1)
            #expect(result.standardError.contains(path) && result.standardError.contains(words), "\(result.standardError)")
            #expect(!result.standardError.contains("Domain") && !result.standardError.contains("Code="), "\(result.standardError)")
        }
        #expect(try ModelRegistry(store: fixture.store, bucket: "data").versions(name: "m").isEmpty)
    }
}

import Foundation
import LocalCloud
import Modes
import Testing

/// `rehearse models`: the registry of a cloud root's bucket, listed and its aliases moved.
@Suite struct ModelsCommandTests {
    @Test("list shows versions and aliases; alias moves one and says from where, refusing unknown versions")
    func listAndMoveAliases() throws {
        let fixture = try StoreFixture()
        let registry = ModelRegistry(store: fixture.store, bucket: "data")
        try registry.register(try TinyData.model(seed: 1), name: "sentiment")
        try registry.register(try TinyData.model(seed: 2), name: "sentiment")
        try registry.setAlias("production", name: "sentiment", version: 2)
        let root = ["--root", fixture.root.path, "--bucket", "data"]

        let listed = try runRehearse(["models", "list"] + root)
        #expect(listed.status == 0, "\(listed.standardError)")
        #expect(listed.standardOutput == "MODEL      VERSIONS  ALIASES\nsentiment  1 2       production → 2\n")

        let rollback = try runRehearse(["models", "alias"] + root + ["sentiment@production", "1"])
        #expect(rollback.status == 0 && rollback.standardOutput == "sentiment: alias production moved from version 2 to 1\n")
        #expect(try registry.aliasVersion(name: "sentiment", alias: "production") == 1)
        #expect(try runRehearse(["models", "alias"] + root + ["sentiment@canary", "2"]).standardOutput
            == "sentiment: alias canary now points at version 2\n")
        #expect(try runRehearse(["models"] + root).standardOutput.contains("canary → 2, production → 1"))

        let unknown = try runRehearse(["models", "alias"] + root + ["sentiment@canary", "7"])
        #expect(unknown.status == 1 && unknown.standardError.contains("model \"sentiment\" has no version 7 in bucket \"data\""))
        for (arguments, message) in [(["sentiment@canary", "01"], "'01' is invalid for '<VERSION>': expected a version number"),
                                     (["sentiment@2", "1"], "'sentiment@2' is invalid for '<NAME@ALIAS>': expected NAME@ALIAS")] {
            let refused = try runRehearse(["models", "alias"] + root + arguments)
            #expect(refused.status == 2 && refused.standardError.contains(message), "\(refused.standardError)")
        }
        #expect(try registry.aliasVersion(name: "sentiment", alias: "canary") == 2)
    }
}

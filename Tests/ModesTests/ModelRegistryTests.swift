import Foundation
import LocalCloud
import Modes
import ModelCore
import Testing

@Suite struct ModelRegistryTests {
    @Test func registersVersionsInOrderAndResolvesThem() throws {
        let fixture = try StoreFixture()
        let registry = ModelRegistry(store: fixture.store, bucket: "data")
        let first = try TinyData.model(seed: 1)
        let second = try TinyData.model(seed: 2)
        #expect(try registry.register(first, name: "sentiment") == 1)
        #expect(try registry.register(second, name: "sentiment") == 2)
        #expect(try registry.versions(name: "sentiment") == [1, 2])
        #expect(try registry.resolve(name: "sentiment", aliasOrVersion: "1").model.modelID == first.modelID)
        #expect(try registry.resolve(name: "sentiment", aliasOrVersion: "2").model.modelID == second.modelID)
        let metadata = try fixture.text("models/sentiment/2/metadata.json")
        #expect(metadata.contains("\"model_id\":\"\(second.modelID)\""))
        #expect(metadata.contains("\"version\":2"))
    }

    @Test func registeringTheSameArtifactAgainFindsItsVersion() throws {
        let fixture = try StoreFixture()
        let registry = ModelRegistry(store: fixture.store, bucket: "data")
        let one = try TinyData.model(seed: 1)
        let two = try TinyData.model(seed: 2)
        #expect(try registry.findOrRegister(one, name: "m") == (version: 1, isNew: true))
        #expect(try registry.findOrRegister(two, name: "m") == (version: 2, isNew: true))
        #expect(try registry.findOrRegister(one, name: "m") == (version: 1, isNew: false))
        #expect(try registry.register(two, name: "m") == 2)
        #expect(try registry.versions(name: "m") == [1, 2])
        // A registration killed between the artifact and its metadata is found by the
        // artifact's bytes and completed, not registered again.
        try fixture.store.delete(bucket: "data", key: ModelRegistry.metadataKey("m", 2))
        #expect(try registry.findOrRegister(two, name: "m") == (version: 2, isNew: false))
        #expect(try fixture.text(ModelRegistry.metadataKey("m", 2)).contains("\"model_id\":\"\(two.modelID)\""))
        // A version whose artifact was replaced by other bytes no longer holds the model, even
        // if its metadata still says so: the model is registered again.
        try fixture.put("other bytes", ModelRegistry.artifactKey("m", 1))
        #expect(try registry.findOrRegister(one, name: "m") == (version: 3, isNew: true))
    }

    @Test func storesRacingOverOneFolderRegisterAnArtifactOnce() async throws {
        let fixture = try StoreFixture()
        let model = try TinyData.model()
        let stores = try (0..<6).map { _ in try StoreFixture(sharing: fixture, faults: .none).store }
        let versions = try await withThrowingTaskGroup(of: Int.self) { group in
            for store in stores {
                group.addTask { try ModelRegistry(store: store, bucket: "data").register(model, name: "m") }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(versions == Array(repeating: 1, count: stores.count))
        #expect(try ModelRegistry(store: fixture.store, bucket: "data").versions(name: "m") == [1])
    }

    @Test func historyEntriesAreNumberedInOrderAndTheLastIsReadAlone() throws {
        let fixture = try StoreFixture()
        let registry = ModelRegistry(store: fixture.store, bucket: "data")
        #expect(try registry.history(name: "m").isEmpty)
        #expect(try registry.lastHistoryEntry(name: "m") == nil)
        for entry in 1...3 { #expect(try registry.appendHistory(Data("{\"entry\":\(entry)}".utf8), name: "m") == entry) }
        #expect(try registry.history(name: "m").map { String(decoding: $0, as: UTF8.self) } == ["{\"entry\":1}", "{\"entry\":2}", "{\"entry\":3}"])
        #expect(try registry.lastHistoryEntry(name: "m").map { String(decoding: $0, as: UTF8.self) } == "{\"entry\":3}")
        #expect(try fixture.text("models/m/history/000002.json") == "{\"entry\":2}")
        // Another writer's entry taken first: the next append takes the number after it.
        try fixture.put("{}", ModelRegistry.historyKey("m", 4))
        #expect(try registry.appendHistory(Data("{\"entry\":5}".utf8), name: "m") == 5)
        #expect(try registry.lastHistoryEntry(name: "m").map { String(decoding: $0, as: UTF8.self) } == "{\"entry\":5}")
    }

    @Test func aliasesMoveBetweenVersions() throws {
        let fixture = try StoreFixture()
        let registry = ModelRegistry(store: fixture.store, bucket: "data")
        let one = try TinyData.model(seed: 1)
        let two = try TinyData.model(seed: 2)
        try registry.register(one, name: "m")
        try registry.register(two, name: "m")
        try registry.setAlias("production", name: "m", version: 1)
        #expect(try registry.resolve(name: "m", aliasOrVersion: "production").version == 1)
        try registry.setAlias("production", name: "m", version: 2)
        let resolved = try registry.resolve(name: "m", aliasOrVersion: "production")
        #expect(resolved.version == 2)
        #expect(resolved.model.modelID == two.modelID)
        #expect(try fixture.text("models/m/aliases/production") == "2")
        #expect(try registry.aliases(name: "m").map(\.alias) == ["production"])
        // An alias written by hand with `echo 1 > production` (a newline after the number) reads too.
        try fixture.store.put(Data("1\n".utf8), bucket: "data", key: "models/m/aliases/production")
        #expect(try registry.resolve(name: "m", aliasOrVersion: "production").version == 1)
    }

    @Test func clearErrorsForUnknownModelsAliasesAndVersions() throws {
        let fixture = try StoreFixture()
        let registry = ModelRegistry(store: fixture.store, bucket: "data")
        #expect(throws: ModelRegistryError.unknownModel(name: "m", bucket: "data")) {
            try registry.resolve(name: "m", aliasOrVersion: "1")
        }
        try registry.register(try TinyData.model(), name: "m")
        #expect(throws: ModelRegistryError.unknownAlias(name: "m", alias: "canary", bucket: "data")) {
            try registry.resolve(name: "m", aliasOrVersion: "canary")
        }
        #expect(throws: ModelRegistryError.unknownVersion(name: "m", version: "7", bucket: "data")) {
            try registry.resolve(name: "m", aliasOrVersion: "7")
        }
        #expect(throws: ModelRegistryError.unknownVersion(name: "m", version: "3", bucket: "data")) {
            try registry.setAlias("production", name: "m", version: 3)
        }
        // Not a version, whatever the bucket holds there; nor are other spellings of one.
        try fixture.store.put(Data(), bucket: "data", key: "models/m/0/model.rmodel")
        for spelling in ["0", "01", "+1", "-1"] {
            #expect(throws: ModelRegistryError.invalidVersion(name: "m", version: spelling)) {
                try registry.resolve(name: "m", aliasOrVersion: spelling)
            }
        }
        // An alias pointing at a version that is not registered says so, naming both.
        try fixture.store.put(Data("999".utf8), bucket: "data", key: ModelRegistry.aliasKey("m", "stale"))
        #expect(throws: ModelRegistryError.aliasToMissingVersion(name: "m", alias: "stale", version: 999, bucket: "data")) {
            try registry.resolve(name: "m", aliasOrVersion: "stale")
        }
        #expect(throws: ModelRegistryError.unknownVersion(name: "m", version: "0", bucket: "data")) {
            try registry.setAlias("production", name: "m", version: 0)
        }
        // An alias of a model with no version says the model is unknown.
        try fixture.store.put(Data("1".utf8), bucket: "data", key: "models/n/aliases/production")
        #expect(throws: ModelRegistryError.unknownModel(name: "n", bucket: "data")) {
            try registry.resolve(name: "n", aliasOrVersion: "production")
        }
        #expect(throws: ModelRegistryError.self) { try registry.register(try TinyData.model(), name: "../x") }
    }

    @Test func aCorruptArtifactIsReportedWithItsKey() throws {
        let fixture = try StoreFixture()
        let registry = ModelRegistry(store: fixture.store, bucket: "data")
        try registry.register(try TinyData.model(), name: "m")
        try fixture.put("not a model", ModelRegistry.artifactKey("m", 1))
        do {
            _ = try registry.resolve(name: "m", aliasOrVersion: "1")
            Issue.record("a corrupt artifact was accepted")
        } catch let error as ModelRegistryError {
            guard case .corruptArtifact(_, let key, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(key == "models/m/1/model.rmodel")
        }
    }
}


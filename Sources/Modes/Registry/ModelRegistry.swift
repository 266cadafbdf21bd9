import Crypto
import Determinism
import Foundation
import LocalCloud
import ModelCore

/// The model registry: versioned model artifacts and movable aliases, kept as objects in a bucket.
///
/// Layout in the bucket:
///
///     models/<name>/<version>/model.rmodel   the artifact bytes (version = 1, 2, 3, …)
///     models/<name>/<version>/metadata.json  {"model_id", "name", "version", "training_rows", …}
///     models/<name>/aliases/<alias>          the version the alias points at, as decimal text
///     models/<name>/history/<n>.json         the n-th entry of the model's history (see `appendHistory`)
///
/// Every write carries a generation precondition: a version is created only if it does not exist
/// yet, so registering is find-or-register in one conditional step (one artifact, one version,
/// however many writers race), and an alias moves only from the generation that was read (a
/// racing mover that points it elsewhere fails instead of being silently overwritten).
public struct ModelRegistry: Sendable {
    /// The store holding the registry.
    public let store: any ObjectStore
    /// The bucket holding `models/`.
    public let bucket: String

    /// A registry over `bucket` of `store`.
    public init(store: any ObjectStore, bucket: String) {
        self.store = store
        self.bucket = bucket
    }

    /// Stores `model` as a version of `name` unless that exact model (same content hash) is
    /// registered already, and returns its version (1 for the first).
    ///
    /// Finding and registering are one conditional step, so any number of writers registering
    /// the same artifact at once end up with exactly one version: each walks the versions in
    /// ascending order and claims the first free one with a does-not-exist precondition on the
    /// artifact's key. A writer that loses a version to another reads what was stored there;
    /// if it is the same model, that version is the answer. Versions are never deleted, so no
    /// writer can skip past a version holding its model.
    /// - Returns: the version, and whether this call created it.
    /// - Throws: `ModelRegistryError.invalidName`, or the store's error.
    public func findOrRegister(_ model: some RegistrableModel, name: String) throws -> (version: Int, isNew: Bool) {
        try Self.validate(name: name, kind: "model name")
        let (known, artifactETags) = try registeredObjects(name: name)
        let modelETag = Hex.string(Insecure.MD5.hash(data: model.artifactBytes))
        // A version whose artifact's ETag is the MD5 of other bytes (32 hex digits: a single-part
        // upload's) cannot hold this model; the others (no artifact, a multipart ETag, the same
        // MD5) are read to find out.
        for version in known where artifactETags[version].map({ $0 == modelETag || !Hex.isDigits($0.utf8, count: 32) }) ?? true {
            if try holds(model, version: version, name: name) {
                try writeMetadata(of: model, name: name, version: version)  // completes a registration killed halfway
                return (version, false)
            }
        }
        var version = (known.last ?? 0) + 1
        while true {
            do {
                try store.put(Data(model.artifactBytes), bucket: bucket, key: Self.artifactKey(name, version),
                              options: PutOptions(contentType: "application/octet-stream", preconditions: .doesNotExist))
                try writeMetadata(of: model, name: name, version: version)
                return (version, true)
            } catch ObjectStoreError.preconditionFailed {
                // Another writer took this version first: it may have stored this very model.
                if try holds(model, version: version, name: name) {
                    try writeMetadata(of: model, name: name, version: version)
                    return (version, false)
                }
                version += 1
            }
        }
    }

    /// Stores `model` as a version of `name` unless it is registered already (see
    /// `findOrRegister`), and returns its version.
    @discardableResult
    public func register(_ model: some RegistrableModel, name: String) throws -> Int {
        try findOrRegister(model, name: name).version
    }

    /// The registered versions of `name`, ascending, and the ETag of each one's artifact (from
    /// one listing of all its objects, for `findOrRegister`).
    private func registeredObjects(name: String) throws -> (versions: [Int], artifactETags: [Int: String]) {
        let prefix = Self.keyPrefix + name + "/"
        var versions = Set<Int>()
        var artifactETags: [Int: String] = [:]
        for object in try store.listAll(bucket: bucket, prefix: prefix) {
            let rest = object.key.utf8.dropFirst(prefix.utf8.count)
            guard let slash = rest.firstIndex(of: UInt8(ascii: "/")),
                  let version = Int(String(decoding: rest[..<slash], as: UTF8.self)), version > 0 else { continue }
            versions.insert(version)
            if rest[rest.index(after: slash)...].elementsEqual("model.rmodel".utf8) { artifactETags[version] = object.etag }
        }
        return (versions.sorted(), artifactETags)
    }

    /// Whether `version` of `name` is `model`: by its metadata's model id, or, when the metadata
    /// is not written yet, by the artifact's bytes.
    private func holds(_ model: some RegistrableModel, version: Int, name: String) throws -> Bool {
        do {
            let data = try store.get(bucket: bucket, key: Self.metadataKey(name, version)).data
            if let stored = try? JSONDecoder().decode(RegisteredModelMetadata.self, from: data) { return stored.modelID == model.modelID }
        } catch ObjectStoreError.objectNotFound {}
        do {
            return try store.get(bucket: bucket, key: Self.artifactKey(name, version)).data.elementsEqual(model.artifactBytes)
        } catch ObjectStoreError.objectNotFound {
            return false
        }
    }

    /// Writes `metadata.json` of a version unless it is there already (racing writers of one
    /// version write the same bytes, so the first one wins and the others have nothing to do).
    private func writeMetadata(of model: some RegistrableModel, name: String, version: Int) throws {
        let metadata = RegisteredModelMetadata(name: name, version: version, model: model)
        do {
            try store.put(metadata.jsonData, bucket: bucket, key: Self.metadataKey(name, version),
                          options: PutOptions(contentType: "application/json", preconditions: .doesNotExist))
        } catch ObjectStoreError.preconditionFailed {}
    }

    /// Points `alias` of model `name` at `version`, which must exist. The move is conditional on
    /// the alias's generation as read here: if another writer moved it in between, this fails
    /// instead of silently overwriting — unless the other writer pointed it at `version` too,
    /// which is the same outcome. An alias that already points at `version` is not rewritten.
    /// - Throws: `ModelRegistryError.unknownVersion`, `.aliasMoved` when another writer moved the
    ///   alias elsewhere in between, or the store's error.
    public func setAlias(_ alias: String, name: String, version: Int) throws {
        try Self.validate(name: name, kind: "model name")
        try Self.validate(name: alias, kind: "alias")
        guard try isRegistered(version, name: name) else {
            throw ModelRegistryError.unknownVersion(name: name, version: String(version), bucket: bucket)
        }
        let key = Self.aliasKey(name, alias)
        let current = try aliasTarget(key)
        if current?.version == version { return }
        do {
            try store.put(Data(String(version).utf8), bucket: bucket, key: key,
                          options: PutOptions(contentType: "text/plain", preconditions: Preconditions(ifGenerationMatch: current?.generation ?? 0)))
        } catch ObjectStoreError.preconditionFailed {
            if try aliasTarget(key)?.version == version { return }
            throw ModelRegistryError.aliasMoved(name: name, alias: alias)
        }
    }

    /// The alias object's generation and the version it holds (nil version if it holds no
    /// number); nil when the alias does not exist.
    private func aliasTarget(_ key: String) throws -> (generation: Int64, version: Int?)? {
        do {
            let object = try store.get(bucket: bucket, key: key)
            return (object.metadata.generation, Self.version(inAlias: object.data))
        } catch ObjectStoreError.objectNotFound {
            return nil
        }
    }

    /// Whether `version` of `name` is registered: its artifact is there (one read), or else a
    /// listing of the versions has it.
    private func isRegistered(_ version: Int, name: String) throws -> Bool {
        guard version > 0 else { return false }
        do {
            _ = try store.head(bucket: bucket, key: Self.artifactKey(name, version))
            return true
        } catch ObjectStoreError.objectNotFound {
            return try versions(name: name).contains(version)
        }
    }

    /// The registered versions of `name`, ascending.
    public func versions(name: String) throws -> [Int] {
        var versions: [Int] = []
        var token: String?
        repeat {
            let page = try store.list(bucket: bucket, options: ListOptions(
                prefix: Self.keyPrefix + name + "/", delimiter: "/", pageToken: token))
            for prefix in page.commonPrefixes {
                let segment = prefix.dropFirst((Self.keyPrefix + name + "/").count).dropLast()
                if let version = Self.versionNumber(String(segment)) { versions.append(version) }
            }
            token = page.nextPageToken
        } while token != nil
        return versions.sorted()
    }

    /// The names of the models registered in `bucket` (folders under `models/` holding at
    /// least one version), sorted.
    public static func modelNames(in store: any ObjectStore, bucket: String) throws -> [String] {
        var names: [String] = []
        var token: String?
        repeat {
            let page = try store.list(bucket: bucket, options: ListOptions(prefix: keyPrefix, delimiter: "/", pageToken: token))
            names += page.commonPrefixes.map { String($0.dropFirst(keyPrefix.count).dropLast()) }
            token = page.nextPageToken
        } while token != nil
        let registry = ModelRegistry(store: store, bucket: bucket)
        // A folder whose name breaks the naming rule (made by hand) holds no model.
        return names.filter { (try? registry.versions(name: $0))?.isEmpty == false }.sorted()
    }

    /// The version `text` names, written as the registry writes versions (`2`, never `02`,
    /// `+2` or `0`); nil otherwise.
    public static func versionNumber(_ text: String) -> Int? {
        guard let version = Int(text), version > 0, String(version) == text else { return nil }
        return version
    }

    /// The version an alias object holds: decimal text, with whitespace around it allowed (the
    /// newline of `echo 3 > production`, say); nil for anything else.
    public static func version(inAlias data: Data) -> Int? {
        Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The aliases of `name` and the versions they point at, sorted by alias.
    public func aliases(name: String) throws -> [(alias: String, version: Int)] {
        let prefix = Self.keyPrefix + name + "/aliases/"
        let listing = try store.list(bucket: bucket, options: ListOptions(prefix: prefix))
        return try listing.objects.compactMap { object in
            let alias = String(object.key.dropFirst(prefix.count))
            return try Self.version(inAlias: store.get(bucket: bucket, key: object.key).data).map { (alias, $0) }
        }
    }

    /// The version `alias` of `name` points at, nil when there is no such alias (one read: how a
    /// consumer notices that an alias moved without loading the model again).
    /// - Throws: `ModelRegistryError.corruptAlias` when the alias holds no number, or the store's error.
    public func aliasVersion(name: String, alias: String) throws -> Int? {
        try Self.validate(name: name, kind: "model name")
        try Self.validate(name: alias, kind: "alias")
        guard let target = try aliasTarget(Self.aliasKey(name, alias)) else { return nil }
        guard let version = target.version else {
            let text = String(decoding: try store.get(bucket: bucket, key: Self.aliasKey(name, alias)).data, as: UTF8.self)
            throw ModelRegistryError.corruptAlias(name: name, alias: alias, content: text)
        }
        return version
    }

    /// The text model that `aliasOrVersion` names: a version number (`3`) or an alias (`production`).
    /// - Throws: `ModelRegistryError.unknownModel`, `.unknownAlias`, `.unknownVersion`,
    ///   `.invalidVersion`, `.aliasToMissingVersion`, `.corruptArtifact` naming the key, or the
    ///   store's error.
    public func resolve(name: String, aliasOrVersion: String) throws -> RegisteredModel {
        let (version, model) = try resolve(name: name, aliasOrVersion: aliasOrVersion, as: TrainedModel.init(artifact:))
        return RegisteredModel(name: name, version: version, model: model)
    }

    /// The tabular model that `aliasOrVersion` names, and its version (see `resolve`).
    public func resolveTabular(name: String, aliasOrVersion: String) throws -> (version: Int, model: TabularModel) {
        try resolve(name: name, aliasOrVersion: aliasOrVersion, as: TabularModel.init(artifact:))
    }

    /// The version `aliasOrVersion` names, and its artifact read by `load` (for example
    /// `BatchModel.init(artifact:)`, which reads either kind); see `resolve`.
    /// - Throws: as `resolve` does; `.corruptArtifact` when `load` fails.
    public func resolve<Model>(name: String, aliasOrVersion: String, as load: ([UInt8]) throws -> Model) throws -> (version: Int, model: Model) {
        try Self.validate(name: name, kind: "model name")
        // The usual case reads the alias and the artifact; only a miss lists the versions, to
        // say what is missing: the model, the alias or the version.
        func missing(_ error: ModelRegistryError) throws -> Never {
            if try versions(name: name).isEmpty { throw ModelRegistryError.unknownModel(name: name, bucket: bucket) }
            throw error
        }
        let version: Int
        var alias: String?
        if Int(aliasOrVersion) != nil {
            guard let number = Self.versionNumber(aliasOrVersion) else {
                throw ModelRegistryError.invalidVersion(name: name, version: aliasOrVersion)
            }
            version = number
        } else {
            alias = aliasOrVersion
            try Self.validate(name: aliasOrVersion, kind: "alias")
            let data: Data
            do {
                data = try store.get(bucket: bucket, key: Self.aliasKey(name, aliasOrVersion)).data
            } catch ObjectStoreError.objectNotFound {
                try missing(.unknownAlias(name: name, alias: aliasOrVersion, bucket: bucket))
            }
            guard let number = Self.version(inAlias: data) else {
                try missing(.corruptAlias(name: name, alias: aliasOrVersion, content: String(decoding: data, as: UTF8.self)))
            }
            version = number
        }
        let unknownVersion = alias.map { ModelRegistryError.aliasToMissingVersion(name: name, alias: $0, version: version, bucket: bucket) }
            ?? ModelRegistryError.unknownVersion(name: name, version: aliasOrVersion, bucket: bucket)
        guard version > 0 else { try missing(unknownVersion) }
        let key = Self.artifactKey(name, version)
        let bytes: [UInt8]
        do {
            // Only the array outlives this line: a large artifact is held once while it loads.
            bytes = [UInt8](try store.get(bucket: bucket, key: key).data)
        } catch let error as ObjectStoreError {
            if case .objectNotFound = error, try !versions(name: name).contains(version) { try missing(unknownVersion) }
            throw error
        }
        do {
            return (version, try load(bytes))
        } catch {
            throw ModelRegistryError.corruptArtifact(bucket: bucket, key: key, reason: "\(error)")
        }
    }

    /// Where every registry object's key starts, in the registry's bucket.
    public static let keyPrefix = "models/"

    /// `models/<name>/<version>/model.rmodel`.
    public static func artifactKey(_ name: String, _ version: Int) -> String { keyPrefix + "\(name)/\(version)/model.rmodel" }
    /// `models/<name>/<version>/metadata.json`.
    public static func metadataKey(_ name: String, _ version: Int) -> String { keyPrefix + "\(name)/\(version)/metadata.json" }
    /// `models/<name>/aliases/<alias>`.
    public static func aliasKey(_ name: String, _ alias: String) -> String { keyPrefix + "\(name)/aliases/\(alias)" }

    /// Model names and aliases: 1–64 of `a-z A-Z 0-9 . _ -`, not starting with a digit (so an
    /// alias is never mistaken for a version), and never `aliases` or `history`.
    public static func validate(name: String, kind: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-".utf8)
        let valid = (1...64).contains(name.utf8.count) && name.utf8.allSatisfy(allowed.contains)
            && !(name.utf8.first.map { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ?? true)
            && name != "aliases" && name != "history" && name.utf8.first != UInt8(ascii: ".")
        if !valid { throw ModelRegistryError.invalidName(kind: kind, name: name) }
    }
}

/// A model found in the registry, with where it came from.
public struct RegisteredModel: Sendable {
    /// The registered name.
    public let name: String
    /// The version.
    public let version: Int
    /// The model itself (its `modelID` is the artifact's content hash).
    public let model: TrainedModel

    /// `model`, registered as `version` of `name`.
    public init(name: String, version: Int, model: TrainedModel) {
        self.name = name
        self.version = version
        self.model = model
    }
}

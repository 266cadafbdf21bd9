import Foundation
import LocalCloud
import Logging
import ModelCore
import Modes
import Synchronization

/// Holds the model the service serves, and swaps in a new version when the alias moves.
///
/// Requests read ``current`` once and predict with that `ServedModel` to the end, so a swap
/// never changes the model under a request in flight. ``refresh()`` (called by the service's
/// poller, off the request path) reads the alias; when it points at another version, it loads
/// that version completely first and only then swaps the reference. A version that cannot be
/// loaded (a corrupt artifact, say) never replaces the model being served: the failure is kept
/// as ``Status/lastError``, counted, and logged, and that same artifact is not tried again until
/// the alias or the artifact changes.
///
/// Other registered versions, asked for by `/versions/{v}`, are loaded on demand and the two
/// most recently used are kept.
public final class ModelHost: Sendable {
    /// What the host is serving and how reloading has gone.
    public struct Status: Sendable, Equatable {
        /// The version being served, nil before the first successful load.
        public var version: Int?
        /// The served model's id.
        public var modelID: String?
        /// Every registered version of the model (`[1]` for an artifact file).
        public var versions: [Int]
        /// Why the latest load attempt failed; nil once a later one succeeds.
        public var lastError: String?
        /// How many times a new version was swapped in (the first load is not a reload).
        public var reloads: Int
        /// How many load attempts failed (each failure counted once, however often it is seen).
        public var reloadFailures: Int
    }

    /// What one ``refresh()`` did.
    public enum RefreshOutcome: Sendable, Equatable {
        /// Nothing changed: the alias points where it did, or at an artifact already refused.
        case unchanged
        /// `version` is now served; `replaced` is the version it replaced (nil on the first load).
        case loaded(version: Int, replaced: Int?)
        /// A new failure: the model could not be read or loaded; the previous model (if any) stays.
        case failed(String)
    }

    private struct State {
        var status = Status(versions: [], reloads: 0, reloadFailures: 0)
        /// The version and artifact generation last refused: not loaded again until either changes.
        var refused: (version: Int, generation: Int64)?
        /// Other versions loaded on demand, least recently used first.
        var others: [ServedModel] = []
        /// Refreshes in a row that caught another process mid-write.
        var passingFailures = 0
    }

    /// The model name the host answers to.
    public let name: String
    private let source: ModelSource
    private let registry: ModelRegistry?
    private let logger: Logger
    private let served = Mutex<ServedModel?>(nil)
    private let state = Mutex(State())
    /// Held for a whole refresh, so two refreshes (the service's first and a poll, say) never
    /// both load the same version and count the second load as a reload.
    private let refreshing = Mutex(())
    /// Other versions kept loaded.
    private static let othersKept = 2

    /// A host for `source`. A registry source reads `store`; an artifact is served at once.
    public init(source: ModelSource, store: (any ObjectStore)?, logger: Logger) {
        self.source = source
        name = source.name
        self.logger = logger
        switch source {
        case .registry(let bucket, _):
            registry = store.map { ModelRegistry(store: $0, bucket: bucket) }
        case .artifact(let model):
            registry = nil
            served.withLock { $0 = model }
            state.withLock {
                $0.status.version = model.version
                $0.status.modelID = model.modelID
                $0.status.versions = [model.version]
            }
        }
    }

    /// The model to answer with now; nil until one is loaded. Read it once per request.
    public var current: ServedModel? { served.withLock { $0 } }

    /// A snapshot of what is served and how reloading has gone.
    public var status: Status { state.withLock { $0.status } }

    /// Reads where the alias points and, if that is another version, loads it and swaps it in.
    /// Blocks while it reads the store and decodes the artifact: call it off the request path.
    /// A read that catches another process mid-write is left to the next poll; only three
    /// such refreshes in a row count as a failure. Refreshes run one at a time.
    @discardableResult
    public func refresh() -> RefreshOutcome {
        refreshing.withLock { _ in refreshOnce() }
    }

    private func refreshOnce() -> RefreshOutcome {
        guard case .registry(let bucket, let reference) = source else { return .unchanged }
        guard let registry else { return fail("no object store to read the registry in bucket \"\(bucket)\" from", refused: nil) }
        do {
            let outcome = try refresh(reference, from: registry)
            state.withLock { $0.passingFailures = 0 }
            return outcome
        } catch {
            // A read-only store can catch a writer mid-put: such a read is left to the next
            // polls, and reported only if it keeps failing (a file changed by hand, say).
            if let passing = error.error as? ObjectStoreError, passing.isPassing,
               state.withLock({ state in state.passingFailures += 1; return state.passingFailures < Self.passingFailuresTolerated }) {
                return .unchanged
            }
            state.withLock { $0.passingFailures = 0 }
            let what = error.version.map { "version \($0) of \(name)" } ?? "\(reference)"
            return fail("could not load \(what) from bucket \"\(bucket)\": \(error.error)",
                        refused: error.version.flatMap { version in error.generation.map { (version, $0) } })
        }
    }

    /// Refreshes in a row whose reads caught another process mid-write, before that counts as a failure.
    private static let passingFailuresTolerated = 3

    /// Why one attempt to refresh failed, and which version (and artifact generation) it was loading.
    private struct RefreshFailure: Error {
        let error: any Error
        var version: Int?
        var generation: Int64?
    }

    private func refresh(_ reference: ModelReference, from registry: ModelRegistry) throws(RefreshFailure) -> RefreshOutcome {
        var failure = RefreshFailure(error: CancellationError())
        do {
            let versions = try registry.versions(name: name)
            state.withLock { $0.status.versions = versions }
            guard !versions.isEmpty else { throw ModelRegistryError.unknownModel(name: name, bucket: registry.bucket) }
            let version = try aliasTarget(reference, in: registry)
            failure.version = version
            if current?.version == version {
                state.withLock { $0.status.lastError = nil }
                return .unchanged
            }
            guard versions.contains(version) else {
                if Int(reference.aliasOrVersion) == nil {
                    throw ModelRegistryError.aliasToMissingVersion(name: name, alias: reference.aliasOrVersion, version: version,
                                                                   bucket: registry.bucket)
                }
                throw ModelRegistryError.unknownVersion(name: name, version: String(version), bucket: registry.bucket)
            }
            let generation = try registry.store.head(bucket: registry.bucket, key: ModelRegistry.artifactKey(name, version)).generation
            failure.generation = generation
            if let refused = state.withLock({ $0.refused }), refused.version == version, refused.generation == generation {
                return .unchanged
            }
            let loaded = try registry.resolve(name: name, aliasOrVersion: String(version))
            let model = ServedModel(name: name, version: loaded.version, model: loaded.model)
            let previous = served.withLock { current in
                defer { current = model }
                return current
            }
            state.withLock {
                $0.status.version = model.version
                $0.status.modelID = model.modelID
                $0.status.lastError = nil
                $0.refused = nil
                if previous != nil { $0.status.reloads += 1 }
            }
            logger.info("serving \(name) version \(model.version) (model_id \(model.modelID))",
                        metadata: previous.map { ["replaced_version": "\($0.version)"] } ?? [:])
            return .loaded(version: model.version, replaced: previous?.version)
        } catch {
            throw RefreshFailure(error: error, version: failure.version, generation: failure.generation)
        }
    }

    /// The version `reference` names: a number as the registry writes versions, an alias as the
    /// registry holds it now (read as `ModelRegistry.resolve` reads it).
    private func aliasTarget(_ reference: ModelReference, in registry: ModelRegistry) throws -> Int {
        if Int(reference.aliasOrVersion) != nil {
            guard let version = ModelRegistry.versionNumber(reference.aliasOrVersion) else {
                throw ModelRegistryError.invalidVersion(name: reference.name, version: reference.aliasOrVersion)
            }
            return version
        }
        let key = ModelRegistry.aliasKey(reference.name, reference.aliasOrVersion)
        let data: Data
        do {
            data = try registry.store.get(bucket: registry.bucket, key: key).data
        } catch ObjectStoreError.objectNotFound {
            throw ModelRegistryError.unknownAlias(name: reference.name, alias: reference.aliasOrVersion, bucket: registry.bucket)
        }
        guard let version = ModelRegistry.version(inAlias: data) else {
            throw ModelRegistryError.corruptAlias(name: reference.name, alias: reference.aliasOrVersion,
                                                  content: String(decoding: data, as: UTF8.self))
        }
        return version
    }

    /// Records a failed attempt: counted and logged once per distinct message.
    private func fail(_ message: String, refused: (Int, Int64)?) -> RefreshOutcome {
        let isNew = state.withLock { state in
            if let refused { state.refused = refused }
            guard state.status.lastError != message else { return false }
            state.status.lastError = message
            state.status.reloadFailures += 1
            return true
        }
        guard isNew else { return .unchanged }
        logger.error("\(message)", metadata: current.map { ["still_serving_version": "\($0.version)"] } ?? [:])
        return .failed(message)
    }

    /// The model for `/versions/{version}`: the served one, or another registered version,
    /// loaded now (blocking: call it off the request's thread) and kept for the next requests.
    /// - Throws: `ServiceError` 404 for a version that is not registered, 503 for one that
    ///   cannot be loaded.
    public func model(version: Int) throws(ServiceError) -> ServedModel {
        if let current, current.version == version { return current }
        if let cached = state.withLock({ state -> ServedModel? in
            guard let index = state.others.firstIndex(where: { $0.version == version }) else { return nil }
            let model = state.others.remove(at: index)
            state.others.append(model)
            return model
        }) {
            return cached
        }
        guard let registry else { throw .notFound("model \(name) version \(version) not found") }
        let loaded: RegisteredModel
        do {
            loaded = try registry.resolve(name: name, aliasOrVersion: String(version))
        } catch ModelRegistryError.unknownVersion, ModelRegistryError.unknownModel {
            throw .notFound("model \(name) version \(version) not found")
        } catch {
            throw .unavailable("model \(name) version \(version) cannot be loaded: \(error)")
        }
        let model = ServedModel(name: name, version: loaded.version, model: loaded.model)
        state.withLock { state in
            state.others.removeAll { $0.version == version }
            state.others.append(model)
            if state.others.count > Self.othersKept { state.others.removeFirst() }
        }
        return model
    }
}

extension ObjectStoreError {
    /// Whether a read failed only because another process was writing at that moment.
    fileprivate var isPassing: Bool {
        switch self {
        case .indexOutOfDate, .concurrentModification, .storeNotInitialised: true
        default: false
        }
    }
}
